using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;

using static EdgeAgent.Core.Tests.TrackerTests;

namespace EdgeAgent.Core.Tests;

/// <summary>
/// Two candidates on one plate (the whole plate and its last five characters, as the hard set's seed 13 gave)
/// each start a track; the part's track is dropped as a fragment, not emitted as a second pass of the vehicle.
/// </summary>
public class FragmentTrackTests
{
    private static PlateCandidate Part(float cx, float cy, float h, float w) => new()
    {
        CenterX = cx, CenterY = cy, Width = w, Height = h,
        X = (int)(cx - w / 2), Y = (int)(cy - h / 2), BoundsWidth = (int)w, BoundsHeight = (int)h, Score = 1,
    };

    [Fact]
    public void PartOfAPlateReadBesideIt_IsNotASecondPass()
    {
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 3, ReadSettledEvery = 1 });
        var sink = new Passes();
        for (int f = 0; f < 20; f++)
        {
            float y = 300 + (f * 20);
            // The whole plate in every frame; its right-hand part read as a plate of its own in frames 10-14.
            if (f is >= 10 and < 15)
                tracker.Observe(f, DateTimeOffset.UnixEpoch, [Box(800, y), Part(890, y + 4, 60, 150)], [Text("KR22TMC"), Text("22TMC")], sink);
            else
                tracker.Observe(f, DateTimeOffset.UnixEpoch, [Box(800, y)], [Text("KR22TMC")], sink);
        }
        tracker.Flush(sink);

        VehiclePass pass = Assert.Single(sink.All);
        Assert.Equal("KR22TMC", pass.Text);
        Assert.Equal(1, tracker.FragmentsDropped);
    }

    [Fact]
    public void SameTextOnAnotherVehicleFarAway_IsStillItsOwnPass()
    {
        // Two vehicles whose plates share a run of characters, in two lanes: not fragments of each other.
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 3, ReadSettledEvery = 1 });
        var sink = new Passes();
        for (int f = 0; f < 12; f++)
        {
            float y = 300 + (f * 20);
            if (f < 6)
                tracker.Observe(f, DateTimeOffset.UnixEpoch, [Box(400, y), Box(1500, y)], [Text("KR22TMC"), Text("22TMC")], sink);
            else
                tracker.Observe(f, DateTimeOffset.UnixEpoch, [Box(400, y)], [Text("KR22TMC")], sink);
        }
        tracker.Flush(sink);

        Assert.Equal(["22TMC", "KR22TMC"], sink.All.Select(p => p.Text).Order());
        Assert.Equal(0, tracker.FragmentsDropped);
    }
}
