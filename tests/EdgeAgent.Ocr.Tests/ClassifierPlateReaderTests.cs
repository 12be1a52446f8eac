using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Ocr.Tests;

public class ClassifierPlateReaderTests
{
    /// <summary>The model the agent ships (trained by tools/EdgeAgent.CharTrainer, committed in models/).</summary>
    public static string Model => Path.Combine(RepoPaths.Root, "models", "plate-chars.yml.gz");

    private static List<string> ReadAll(string path, GrammarScope scope = GrammarScope.GreatBritain)
    {
        Frame frame = StillImage.Load(path);
        using PlateReaderSet set = PlateReaderSet.Create(scope, Tesseract.TesseractLibrary.DefaultDataPath, Model);
        var candidates = new PlateCandidate[8];
        int n = set.Finder.Find(frame.GrayImage, new FindRegion(0, 0, frame.Width, frame.Height, 30, 120), candidates);
        var reads = new List<string>();
        for (int i = 0; i < n; i++)
        {
            PlateText text = default;
            if (set.Reader.TryRead(frame.GrayImage, ref candidates[i], ref text)) reads.Add(text.ToString());
        }
        return reads;
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(12, 0.8)]
    [InlineData(-14, 1.2)]
    public void TryRead_TwoSkewedBlurredPlates_ReadsBothExactly(double degrees, double blur)
    {
        using var dir = new TempDirectory();
        string path = PlateScene.Render(dir.File("p.png"), 1280, 720,
            [new("AB12 CDE", 420, 300, 56), new("XY68 ZZT", 900, 460, 48, Ground: "0xF4F5F2")],
            new SceneLook(RotateDegrees: degrees, BlurSigma: blur, Noise: 6));
        List<string> reads = ReadAll(path);
        Assert.Contains("AB12CDE", reads);
        Assert.Contains("XY68ZZT", reads);
    }

    [Theory]
    [InlineData("A123 BCD", "A123BCD")]
    [InlineData("ABC 123D", "ABC123D")]
    [InlineData("ABZ 1234", "ABZ1234")]
    [InlineData("1234 AB", "1234AB")]
    public void TryRead_OlderGbLayouts_ReadExactly(string display, string expected)
    {
        using var dir = new TempDirectory();
        string path = PlateScene.Render(dir.File("old.png"), 960, 540, [new(display, 480, 270, 60)], new SceneLook(Noise: 4));
        Assert.Contains(expected, ReadAll(path));
    }

    private static PlateCandidate Around(float cx, float cy, float w, float h) =>
        new()
        {
            CenterX = cx, CenterY = cy, Width = w, Height = h, X = (int)(cx - w / 2), Y = (int)(cy - h / 2),
            BoundsWidth = (int)w, BoundsHeight = (int)h, Score = 0.5f, DarkOnLight = 1, CharCount = 7,
        };

    [Fact]
    public void TryRead_BoxFarLargerThanThePlate_MovesTheBoxToThePlateRead()
    {
        using var dir = new TempDirectory();
        Frame frame = StillImage.Load(PlateScene.Render(dir.File("a.png"), 960, 540, [new("AB12 CDE", 480, 270, 60)]));
        using var reader = new ClassifierPlateReader(new PlateGrammar(), Model);
        var plate = new BoxI(318, 240, 324, 60);  // PlateScene draws plates 5.4 heights wide
        PlateCandidate candidate = Around(480, 270, 324 * 1.6f, 60 * 1.9f);  // a frame or a recess around the plate
        PlateText text = default;

        Assert.True(reader.TryRead(frame.GrayImage, ref candidate, ref text));

        Assert.Equal("AB12CDE", text.ToString());
        Assert.True(candidate.Bounds.IntersectionOverUnion(plate) > 0.6f, $"{candidate.Bounds}");
        Assert.True(candidate.Bounds.Area < 2 * plate.Area);
    }

    [Fact]
    public void TryRead_BoxNearThePlate_LeavesTheFindersBox()
    {
        using var dir = new TempDirectory();
        Frame frame = StillImage.Load(PlateScene.Render(dir.File("a.png"), 960, 540, [new("AB12 CDE", 480, 270, 60)]));
        using var reader = new ClassifierPlateReader(new PlateGrammar(), Model);
        PlateCandidate candidate = Around(482, 271, 330, 66);
        PlateCandidate given = candidate;
        PlateText text = default;

        Assert.True(reader.TryRead(frame.GrayImage, ref candidate, ref text));

        Assert.Equal("AB12CDE", text.ToString());
        Assert.Equal(given, candidate);
    }

    [Fact]
    public void TryRead_SteadyState_AllocatesNothing()
    {
        using var dir = new TempDirectory();
        Frame frame = StillImage.Load(PlateScene.Render(dir.File("a.png"), 960, 540, [new("AB12 CDE", 480, 270, 60)]));
        using var finder = new OpenCvPlateFinder();
        using var reader = new ClassifierPlateReader(new PlateGrammar(), Model);
        var candidates = new PlateCandidate[4];
        Assert.True(finder.Find(frame.GrayImage, new FindRegion(0, 0, 960, 540, 30, 120), candidates) >= 1);
        PlateText text = default;
        for (int i = 0; i < 20; i++) reader.TryRead(frame.GrayImage, ref candidates[0], ref text);
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int i = 0; i < 200; i++) reader.TryRead(frame.GrayImage, ref candidates[0], ref text);
        }));
        Assert.Equal("AB12CDE", text.ToString());
    }

    [Fact]
    public void Create_MissingModel_SaysHowToGetOne()
    {
        var e = Assert.Throws<VisionException>(() => new ClassifierPlateReader(new PlateGrammar(), "/nonexistent/model.yml.gz"));
        Assert.Contains("CharTrainer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FileThatIsNotAModel_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.yml"), "%YAML:1.0\n---\nsomething: 1\n");
        var e = Assert.Throws<VisionException>(() => new ClassifierPlateReader(new PlateGrammar(), dir.File("bad.yml")));
        Assert.Contains("bad.yml", e.Message, StringComparison.Ordinal);
        Assert.Contains("retrain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ModelWithoutItsNetwork_NamesTheMissingFile()
    {
        using var dir = new TempDirectory();
        File.Copy(Model, dir.File("chars.yml.gz"));
        var e = Assert.Throws<VisionException>(() => new ClassifierPlateReader(new PlateGrammar(), dir.File("chars.yml.gz")));
        Assert.Contains(dir.File("chars.onnx"), e.Message, StringComparison.Ordinal);
        Assert.Contains("CharTrainer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NetworkThatIsNotANetwork_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        File.Copy(Model, dir.File("chars.yml.gz"));
        File.WriteAllText(dir.File("chars.onnx"), "not a network");
        var e = Assert.Throws<VisionException>(() => new ClassifierPlateReader(new PlateGrammar(), dir.File("chars.yml.gz")));
        Assert.Contains("chars.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("retrain", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("models/plate-chars.yml.gz", "models/plate-chars.onnx")]
    [InlineData("/tmp/fold0.yml", "/tmp/fold0.onnx")]
    [InlineData("chars", "chars.onnx")]
    public void NetworkPath_SitsBesideTheModel(string model, string network) =>
        Assert.Equal(network, PlateCharReader.NetworkPathOf(model));
}
