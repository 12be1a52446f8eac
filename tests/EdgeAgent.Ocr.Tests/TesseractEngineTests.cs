using System.Diagnostics;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Ocr.Tesseract;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision;

namespace EdgeAgent.Ocr.Tests;

public class TesseractEngineTests
{
    // A plate drawn by FFmpeg with a Debian font: yellow ground, black DVLA-style characters.
    private static string RenderPlate(TempDirectory dir, string text)
    {
        string path = dir.File("plate.png");
        var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=0x606060:s=800x300",
            "-vf", $"drawbox=x=160:y=100:w=480:h=100:color=0xF7D117:t=fill,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text='{text}':fontsize=72:fontcolor=black:x=(w-text_w)/2:y=(h-text_h)/2",
            "-frames:v", "1", path,
        ]))!;
        ffmpeg.WaitForExit();
        Assert.Equal(0, ffmpeg.ExitCode);
        return path;
    }

    [Fact]
    public void Version_Library_IsTesseract5()
    {
        Assert.StartsWith("5.", TesseractLibrary.Version(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_RenderedYellowPlate_ReadsItExactly()
    {
        using var dir = new TempDirectory();
        Frame frame = StillImage.Load(RenderPlate(dir, "AB12 CDE"));
        using var finder = new OpenCvPlateFinder();
        using var reader = new TesseractPlateReader(new PlateGrammar(GrammarScope.GreatBritain));
        var candidates = new PlateCandidate[4];
        int found = finder.Find(frame.GrayImage, new FindRegion(0, 0, frame.Width, frame.Height, 40, 200), candidates);
        Assert.True(found >= 1, "the plate is found");
        PlateText text = default;
        Assert.True(reader.TryRead(frame.GrayImage, ref candidates[0], ref text));
        Assert.Equal("AB12CDE", text.ToString());
        Assert.Equal(PlateLayout.GbCurrent, text.Layout);
        Assert.InRange(text.MeanConfidence, 0.5f, 1f);
    }

    [Fact]
    public void Create_MissingModelFolder_SaysWhichPackageToInstall()
    {
        var e = Assert.Throws<TesseractException>(() => new TesseractEngine("/nonexistent/tessdata"));
        Assert.Contains("tesseract-ocr-eng", e.Message, StringComparison.Ordinal);
    }
}
