using EdgeAgent.Core.Frames;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision.Annotation;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Tests;

/// <summary>The aim check's drawing (ea_annotate) and image writing (ea_image_write) through the real bridge.</summary>
public class AnnotationTests
{
    private static Frame Grey(int width = 320, int height = 240)
    {
        var frame = new Frame(width, height);
        Array.Fill(frame.Bgr, (byte)100);
        return frame;
    }

    private static (byte R, byte G, byte B) Pixel(Frame f, int x, int y)
    {
        int i = y * f.BgrStride + x * 3;
        return (f.Bgr[i + 2], f.Bgr[i + 1], f.Bgr[i]);
    }

    [Fact]
    public void DrawOn_RectangleLineAndFilledPolygon_PaintTheirPixels()
    {
        Frame frame = Grey();
        var a = new FrameAnnotation();
        a.Rectangle(10, 10, 100, 50, new Rgb(255, 0, 0), thickness: 3);
        a.Line(200, 0, 200, 239, new Rgb(0, 0, 255), thickness: 3);  // anti-aliased: the middle of a 3 px line is solid
        a.Polygon([(220, 100), (300, 100), (300, 200), (220, 200)], new Rgb(0, 255, 0), "mask", thickness: 1, fillAlpha: 255);
        a.DrawOn(frame);

        Assert.Equal((255, 0, 0), Pixel(frame, 60, 10));       // top edge of the rectangle
        Assert.Equal((100, 100, 100), Pixel(frame, 60, 35));   // its inside is untouched (outline only)
        Assert.Equal((0, 0, 255), Pixel(frame, 200, 120));
        Assert.Equal((0, 255, 0), Pixel(frame, 260, 180));     // filled polygon
        Assert.Equal((100, 100, 100), Pixel(frame, 150, 200));
    }

    [Fact]
    public void DrawOn_HalfAlphaFill_BlendsOverThePicture()
    {
        Frame frame = Grey();
        var a = new FrameAnnotation();
        a.Rectangle(0, 0, 50, 50, new Rgb(200, 200, 200), thickness: 1, fillAlpha: 128);
        a.DrawOn(frame);
        var (r, _, _) = Pixel(frame, 25, 25);
        Assert.InRange(r, 145, 155);
    }

    [Fact]
    public void Write_Png_RoundTripsEveryPixel()
    {
        using var dir = new TempDirectory();
        Frame frame = Grey(64, 48);
        var a = new FrameAnnotation();
        a.Rectangle(5, 5, 30, 20, new Rgb(255, 210, 0), "ROI", thickness: 2);
        a.DrawOn(frame);
        FrameAnnotation.Write(frame, dir.File("aim.png"));
        Frame read = StillImage.Load(dir.File("aim.png"));
        Assert.Equal(frame.Bgr, read.Bgr);
    }

    [Fact]
    public void Write_UnknownExtensionOrMissingFolder_NamesTheProblem()
    {
        Frame frame = Grey(32, 32);
        var e = Assert.Throws<VisionException>(() => FrameAnnotation.Write(frame, "/tmp/aim.bmp"));
        Assert.Contains(".png or .jpg", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<VisionException>(() => FrameAnnotation.Write(frame, "/no/such/folder/aim.png"));
        Assert.Contains("could not be written", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Polygon_TooFewPoints_IsRefusedBeforeTheBridge() =>
        Assert.Throws<ArgumentException>(() => new FrameAnnotation().Polygon([(0, 0), (1, 1)], Rgb.Mask));
}
