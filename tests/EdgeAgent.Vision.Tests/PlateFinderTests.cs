using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Tests;

public class PlateFinderTests
{
    private const int Width = 1280, Height = 720;

    private static PlateCandidate[] Find(string path, FindRegion region)
    {
        Frame frame = StillImage.Load(path);
        using var finder = new OpenCvPlateFinder();
        var output = new PlateCandidate[8];
        int n = finder.Find(frame.GrayImage, region, output);
        return output[..n];
    }

    private static FindRegion Whole(int min = 30, int max = 120) => new(0, 0, Width, Height, min, max);

    private static bool Covers(PlateCandidate c, (double X, double Y) point) =>
        point.X >= c.X && point.X <= c.X + c.BoundsWidth && point.Y >= c.Y && point.Y <= c.Y + c.BoundsHeight;

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(-15)]
    [InlineData(15)]
    public void Find_TwoPlatesTurnedUpTo15Degrees_FindsBothAlongTheirSlant(double degrees)
    {
        using var dir = new TempDirectory();
        ScenePlate[] plates = [new("AB12 CDE", 420, 300, 56), new("XY68 ZZT", 900, 460, 48, Ground: "0xF4F5F2")];
        string path = PlateScene.Render(dir.File("two.png"), Width, Height, plates, new SceneLook(RotateDegrees: degrees, Noise: 6));
        PlateCandidate[] found = Find(path, Whole());
        foreach (ScenePlate p in plates)
        {
            var centre = PlateScene.Rotated(p.CenterX, p.CenterY, Width, Height, degrees);
            PlateCandidate c = Assert.Single(found, c => Covers(c, centre));
            Assert.InRange(c.AngleDegrees, degrees - 4, degrees + 4);
            Assert.InRange(c.Height, p.Height * 0.6, p.Height * 1.6);   // a plate-sized box, neither a text line nor a car
            Assert.Equal(1, c.DarkOnLight);
        }
    }

    [Fact]
    public void Find_BlurGlareAndUnevenLight_StillFindsThePlate()
    {
        using var dir = new TempDirectory();
        ScenePlate plate = new("KX67 PJD", 640, 360, 44);
        string path = PlateScene.Render(dir.File("blur.png"), Width, Height, [plate], new SceneLook(BlurSigma: 1.6, UnevenLight: true, Noise: 10));
        Assert.Contains(Find(path, Whole()), c => Covers(c, (plate.CenterX, plate.CenterY)));
    }

    [Fact]
    public void Find_InfraredGreyAndInvertedPlates_AreBothFound()
    {
        using var dir = new TempDirectory();
        ScenePlate grey = new("LN63 XKJ", 400, 300, 50, Ground: "0xC8C8C8", Ink: "0x202020");
        ScenePlate inverted = new("512 KE", 900, 450, 50, Ground: "0x181818", Ink: "0xE0E0E0");
        string path = PlateScene.Render(dir.File("ir.png"), Width, Height, [grey, inverted], new SceneLook(Background: "0x303030", Noise: 5));
        PlateCandidate[] found = Find(path, Whole());
        Assert.Equal(1, Assert.Single(found, c => Covers(c, (grey.CenterX, grey.CenterY))).DarkOnLight);
        Assert.Equal(0, Assert.Single(found, c => Covers(c, (inverted.CenterX, inverted.CenterY))).DarkOnLight);
    }

    [Fact]
    public void Find_PlateOutsideTheRegionOrSizeRange_IsNotReported()
    {
        using var dir = new TempDirectory();
        ScenePlate plate = new("AB12 CDE", 400, 200, 50);
        string path = PlateScene.Render(dir.File("roi.png"), Width, Height, [plate]);
        Assert.Contains(Find(path, Whole()), c => Covers(c, (plate.CenterX, plate.CenterY)));
        Assert.DoesNotContain(Find(path, new FindRegion(0, 360, Width, 360, 30, 120)), c => Covers(c, (plate.CenterX, plate.CenterY)));
        Assert.DoesNotContain(Find(path, Whole(120, 300)), c => Covers(c, (plate.CenterX, plate.CenterY)));
    }

    [Fact]
    public void Find_EmptyHeightRange_FailsNamingTheCall()
    {
        using var dir = new TempDirectory();
        string path = PlateScene.Render(dir.File("x.png"), 320, 240, []);
        var e = Assert.Throws<VisionException>(() => Find(path, new FindRegion(0, 0, 320, 240, 50, 20)));
        Assert.Contains("ea_finder_find", e.Message, StringComparison.Ordinal);
    }
}
