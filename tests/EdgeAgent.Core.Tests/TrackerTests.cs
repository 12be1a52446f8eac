using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Core.Tests;

public class TrackerTests
{
    internal sealed class Passes : IPassSink
    {
        public List<VehiclePass> All { get; } = [];
        public void OnPass(VehiclePass pass) => All.Add(pass);
    }

    internal static PlateCandidate Box(float cx, float cy, float h = 60) => new()
    {
        CenterX = cx, CenterY = cy, Width = h * 4.7f, Height = h,
        X = (int)(cx - h * 2.35f), Y = (int)(cy - h / 2), BoundsWidth = (int)(h * 4.7f), BoundsHeight = (int)h, Score = 1,
    };

    internal static PlateText Text(string s, float confidence = 0.9f, bool grammar = true)
    {
        var t = default(PlateText);
        t.Clear();
        foreach (char c in s) t.Append(c, confidence);
        t.MatchesGrammar = grammar;
        t.Layout = grammar ? PlateLayout.GbCurrent : PlateLayout.Unknown;
        t.Country = CountryCode.GreatBritain;
        return t;
    }

    [Fact]
    public void Observe_OnePlateOverManyFramesWithMisreads_EmitsOnePassWithTheVotedText()
    {
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 3, MinObservations = 3 });
        var sink = new Passes();
        var start = DateTimeOffset.UnixEpoch;
        for (int f = 0; f < 20; f++)
        {
            // One frame in four misreads a character; the vote must still give the true text.
            string read = f % 4 == 1 ? "AB12C0E" : f % 4 == 3 ? "A812CDE" : "AB12CDE";
            tracker.Observe(f, start.AddMilliseconds(f * 40), [Box(300 + f * 15, 400 + f * 10)], [Text(read)], sink);
        }
        for (int f = 20; f < 25; f++) tracker.Observe(f, start.AddMilliseconds(f * 40), [], [], sink);

        VehiclePass pass = Assert.Single(sink.All);
        Assert.Equal("AB12CDE", pass.Text);
        Assert.Equal(0, pass.FirstFrame);
        Assert.Equal(19, pass.LastFrame);
        Assert.Equal(20, pass.Observations);
        Assert.Equal(PlateLayout.GbCurrent, pass.Layout);
        Assert.InRange(pass.Confidence, 0.5f, 1f);
    }

    [Fact]
    public void Observe_TwoVehiclesAtOnce_EmitsTwoPasses()
    {
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 2 });
        var sink = new Passes();
        for (int f = 0; f < 10; f++)
            tracker.Observe(f, DateTimeOffset.UnixEpoch, [Box(400, 300 + f * 20), Box(1400, 500 + f * 20)], [Text("AB12CDE"), Text("XY68ZZT")], sink);
        tracker.Flush(sink);
        Assert.Equal(["AB12CDE", "XY68ZZT"], sink.All.Select(p => p.Text).Order());
    }

    [Fact]
    public void Observe_PlateGoneForLongerThanTheLimit_EndsThePassAndStartsANewOne()
    {
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 2, MinObservations = 3 });
        var sink = new Passes();
        for (int f = 0; f < 5; f++) tracker.Observe(f, DateTimeOffset.UnixEpoch, [Box(500, 400)], [Text("AB12CDE")], sink);
        for (int f = 5; f < 9; f++) tracker.Observe(f, DateTimeOffset.UnixEpoch, [], [], sink);
        Assert.Single(sink.All);
        for (int f = 9; f < 14; f++) tracker.Observe(f, DateTimeOffset.UnixEpoch, [Box(500, 400)], [Text("AB12CDE")], sink);
        tracker.Flush(sink);
        Assert.Equal(2, sink.All.Count);
    }

    [Fact]
    public void Observe_ReadInTooFewFrames_IsDroppedAsAPhantom()
    {
        var tracker = new PlateTracker(new TrackerOptions { MinObservations = 3 });
        var sink = new Passes();
        tracker.Observe(0, DateTimeOffset.UnixEpoch, [Box(500, 400)], [Text("SIGN")], sink);
        tracker.Observe(1, DateTimeOffset.UnixEpoch, [Box(500, 400)], [Text("SIGN")], sink);
        tracker.Flush(sink);
        Assert.Empty(sink.All);
        Assert.Equal(1, tracker.PhantomsDropped);
    }

    [Fact]
    public void Observe_SteadyStateWithoutEndingPasses_AllocatesNothing()
    {
        var tracker = new PlateTracker();
        var sink = new Passes();
        PlateCandidate[] boxes = [Box(500, 400)];
        PlateText[] texts = [Text("AB12CDE")];
        for (int f = 0; f < 200; f++) tracker.Observe(f, DateTimeOffset.UnixEpoch, boxes, texts, sink);
        int frame = 200;   // frames go on rising from one measurement to the next, as on a camera
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int end = frame + 2000; frame < end; frame++) tracker.Observe(frame, DateTimeOffset.UnixEpoch, boxes, texts, sink);
        }));
    }

    [Theory]
    [InlineData("AB12CDE", "AB12CDE", 0)]
    [InlineData("AB12CDE", "AB12CD", 1)]
    [InlineData("AB12CDE", "A812CDE", 1)]
    [InlineData("", "ABC", 3)]
    public void Distance_KnownPairs_IsTheLevenshteinDistance(string a, string b, int expected) =>
        Assert.Equal(expected, TextSimilarity.Distance(a, b));
}
