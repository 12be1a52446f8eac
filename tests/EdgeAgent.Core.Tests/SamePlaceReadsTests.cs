using EdgeAgent.Core.Pipeline;
using EdgeAgent.Core.Plates;

using static EdgeAgent.Core.Tests.TrackerTests;

namespace EdgeAgent.Core.Tests;

// The finder may give a plate twice (its dark characters, and the light ground between them in a wider
// box); the pipeline keeps one read per place so that the tracker starts one pass per plate.
public class SamePlaceReadsTests
{
    [Fact]
    public void TwoReadsOfOnePlace_TheSurerStays()
    {
        PlateCandidate wide = Box(500, 300, 80), plate = Box(500, 300, 50);
        PlateCandidate[] boxes = [wide, plate];
        PlateText[] texts = [Text("EF7", 0.6f, grammar: false), Text("AB12CDE", 0.9f)];

        int kept = SamePlaceReads.KeepOnePerPlace(boxes, texts, 2, []);

        Assert.Equal(1, kept);
        Assert.Equal("AB12CDE", texts[0].ToString());
        Assert.Equal(plate.Bounds, boxes[0].Bounds);
    }

    [Fact]
    public void ReadsOfTwoPlates_BothStay()
    {
        PlateCandidate[] boxes = [Box(300, 300), Box(900, 320)];
        PlateText[] texts = [Text("AB12CDE", 0.7f), Text("XY34ZZZ", 0.9f)];

        Assert.Equal(2, SamePlaceReads.KeepOnePerPlace(boxes, texts, 2, []));
        Assert.Equal("AB12CDE", texts[0].ToString());
        Assert.Equal("XY34ZZZ", texts[1].ToString());
    }

    [Fact]
    public void AReadWhereASettledPlateWasFollowed_Goes()
    {
        PlateCandidate followed = Box(500, 300, 50);
        PlateCandidate[] boxes = [Box(500, 300, 80), Box(1200, 300)];
        PlateText[] texts = [Text("EF7", 0.95f), Text("XY34ZZZ", 0.9f)];

        Assert.Equal(1, SamePlaceReads.KeepOnePerPlace(boxes, texts, 2, [followed.Bounds]));
        Assert.Equal("XY34ZZZ", texts[0].ToString());
    }

    [Fact]
    public void ADroppedRead_StillBeatsAWeakerOneOverIt()
    {
        // Three boxes in a row, each overlapping the next: the surest (first) drops the second, and the
        // second, dropped, still drops the third beneath it, whatever the order they are compacted in.
        PlateCandidate[] boxes = [Box(500, 300, 50), Box(560, 300, 50), Box(620, 300, 50)];
        PlateText[] texts = [Text("AB12CDE", 0.9f), Text("B12CDE", 0.8f), Text("12CDE", 0.7f)];

        Assert.Equal(1, SamePlaceReads.KeepOnePerPlace(boxes, texts, 3, []));
        Assert.Equal("AB12CDE", texts[0].ToString());
    }

    [Fact]
    public void IntersectionOverSmaller_IsOneWhenOneBoxHoldsTheOther()
    {
        var outer = new BoxI(0, 0, 100, 50);
        Assert.Equal(1f, outer.IntersectionOverSmaller(new BoxI(10, 10, 20, 20)));
        Assert.Equal(0.5f, outer.IntersectionOverSmaller(new BoxI(80, 0, 40, 50)), 3);
        Assert.Equal(0f, outer.IntersectionOverSmaller(new BoxI(100, 0, 10, 10)));
    }
}
