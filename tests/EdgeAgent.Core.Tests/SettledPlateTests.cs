using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;

using static EdgeAgent.Core.Tests.TrackerTests;

namespace EdgeAgent.Core.Tests;

// A plate whose reads have settled is read only every ReadSettledEvery frames; the frames between follow its box.
public class SettledPlateTests
{
    private sealed record Plate(PlateCandidate Box, string Text, float Confidence = 0.9f);

    private static DateTimeOffset TimeOf(long frame) => DateTimeOffset.UnixEpoch.AddMilliseconds(frame * 40);

    // One frame as the pipeline runs it: candidates a settled plate follows are not read; the rest are, and
    // the reads go to the tracker. Returns how many candidates were read.
    private static int RunFrame(PlateTracker tracker, long frame, Passes sink, params Plate[] plates)
    {
        var boxes = new List<PlateCandidate>();
        var texts = new List<PlateText>();
        foreach (Plate plate in plates)
        {
            if (tracker.TryFollowSettled(frame, TimeOf(frame), plate.Box)) continue;
            boxes.Add(plate.Box);
            texts.Add(Text(plate.Text, plate.Confidence));
        }
        tracker.Observe(frame, TimeOf(frame), boxes.ToArray(), texts.ToArray(), sink);
        return boxes.Count;
    }

    [Fact]
    public void AgreeingSureReads_AfterThree_ThePlateIsReadEveryOtherFrame()
    {
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 3 });
        var sink = new Passes();
        var read = new List<long>();
        for (int f = 0; f < 20; f++)
            if (RunFrame(tracker, f, sink, new Plate(Box(300 + f * 15, 400 + f * 10), "AB12CDE")) == 1) read.Add(f);
        tracker.Flush(sink);

        Assert.Equal([0L, 1, 2, 4, 6, 8, 10, 12, 14, 16, 18], read);
        VehiclePass pass = Assert.Single(sink.All);
        Assert.Equal("AB12CDE", pass.Text);
        Assert.Equal(20, pass.Observations);      // every frame it was seen in, read or followed
        Assert.Equal(19, pass.LastFrame);
    }

    [Fact]
    public void ReadsThatDisagree_KeepThePlateReadInEveryFrame()
    {
        var tracker = new PlateTracker();
        var sink = new Passes();
        int reads = 0;
        for (int f = 0; f < 12; f++)
            reads += RunFrame(tracker, f, sink, new Plate(Box(300 + f * 15, 400), f % 3 == 2 ? "AB12C0E" : "AB12CDE"));
        Assert.Equal(12, reads);
    }

    [Fact]
    public void UnsureReads_NeverSettle()
    {
        var tracker = new PlateTracker();
        var sink = new Passes();
        int reads = 0;
        for (int f = 0; f < 12; f++) reads += RunFrame(tracker, f, sink, new Plate(Box(300 + f * 15, 400), "AB12CDE", Confidence: 0.6f));
        Assert.Equal(12, reads);
    }

    [Fact]
    public void ReadSettledEveryOne_ReadsEveryFrame()
    {
        var tracker = new PlateTracker(new TrackerOptions { ReadSettledEvery = 1 });
        var sink = new Passes();
        int reads = 0;
        for (int f = 0; f < 12; f++) reads += RunFrame(tracker, f, sink, new Plate(Box(300 + f * 15, 400), "AB12CDE"));
        Assert.Equal(12, reads);
    }

    [Fact]
    public void AFrameWithoutThePlate_MakesTheNextOneARead()
    {
        var tracker = new PlateTracker();
        var sink = new Passes();
        for (int f = 0; f < 4; f++) RunFrame(tracker, f, sink, new Plate(Box(300 + f * 15, 400), "AB12CDE"));   // 0-2 read, 3 followed
        RunFrame(tracker, 4, sink);                                                                                // not found
        Assert.Equal(1, RunFrame(tracker, 5, sink, new Plate(Box(375, 400), "AB12CDE")));
    }

    [Fact]
    public void AnotherPlateBesideASettledOne_IsReadUntilItSettlesToo_AndEachVehicleGetsOnePass()
    {
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 3 });
        var sink = new Passes();
        for (int f = 0; f < 10; f++) RunFrame(tracker, f, sink, new Plate(Box(400, 300 + f * 20), "AB12CDE"));
        // A second vehicle in the next lane, far from the settled plate's prediction: read in each of its first
        // three frames (the first plate, settled, is read in one of them), then both alternate.
        int[] reads = new int[10];
        for (int f = 10; f < 20; f++)
            reads[f - 10] = RunFrame(tracker, f, sink, new Plate(Box(400, 300 + f * 20), "AB12CDE"), new Plate(Box(1400, 300 + f * 20), "XY68ZZT"));
        Assert.Equal([2, 1, 2, 0, 2, 0, 2, 0, 2, 0], reads);
        tracker.Flush(sink);
        Assert.Equal(["AB12CDE", "XY68ZZT"], sink.All.Select(p => p.Text).Order());
        Assert.All(sink.All, p => Assert.Equal(p.Text == "AB12CDE" ? 20 : 10, p.Observations));
    }

    [Fact]
    public void TwoCandidatesOnAFollowedPlate_AreBothSkipped_AndStartNoSecondPass()
    {
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 3 });
        var sink = new Passes();
        for (int f = 0; f < 3; f++) RunFrame(tracker, f, sink, new Plate(Box(300 + f * 15, 400), "AB12CDE"));
        // Frame 3 is the settled plate's frame to be followed; the finder gives it twice, a few pixels apart.
        Assert.Equal(0, RunFrame(tracker, 3, sink, new Plate(Box(345, 400), "AB12CDE"), new Plate(Box(348, 402), "AB12CDE")));
        tracker.Flush(sink);
        Assert.Single(sink.All);
    }
}
