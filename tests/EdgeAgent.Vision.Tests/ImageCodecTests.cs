using EdgeAgent.Core.Frames;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision.Annotation;
using EdgeAgent.Vision.Native;
using EdgeAgent.Vision.Redaction;

namespace EdgeAgent.Vision.Tests;

/// <summary>
/// Still images through the bridge's own codecs (libjpeg-turbo and libpng, not OpenCV's imgcodecs): what
/// eval reads, snapshot writes and the evidence tests decode must be what imread and imwrite gave.
/// </summary>
public sealed class ImageCodecTests : IDisposable
{
    private readonly TempDirectory _folder = new("edgeagent-codecs");

    public void Dispose() => _folder.Dispose();

    // Left half black, right half white, with a red dot at the top left corner.
    private static Frame Halves(int width, int height)
    {
        var frame = new Frame(width, height);
        frame.Bgr.AsSpan().Clear();   // a Frame's arrays are uninitialised: the black half must be written
        for (int y = 0; y < height; y++)
            for (int x = width / 2; x < width; x++)
                frame.Bgr.AsSpan(y * frame.BgrStride + x * 3, 3).Fill(255);
        frame.Bgr[2] = 255;
        return frame;
    }

    private static byte Gray(Frame f, int x, int y) => f.Gray[y * f.GrayStride + x];

    [Fact]
    public void Png_WrittenThenLoaded_IsPixelExact()
    {
        Frame frame = Halves(97, 41);  // odd sizes: rows are padded nowhere
        string path = _folder.File("aim.PNG");
        FrameAnnotation.Write(frame, path);

        Frame loaded = StillImage.Load(path);

        Assert.Equal((97, 41), (loaded.Width, loaded.Height));
        Assert.Equal(frame.Bgr, loaded.Bgr);
    }

    [Fact]
    public void Jpeg_WithExifOrientationSix_IsTurnedUprightAsImreadDoes()
    {
        Frame frame = Halves(64, 32);
        byte[] jpeg = JpegEncoder.Encode(frame.Bgr, 64, 32, frame.BgrStride, 64 * 1024, maxQuality: 95).Bytes;
        string path = _folder.File("rotated.jpg");
        File.WriteAllBytes(path, WithExifOrientation(jpeg, 6));

        Frame loaded = StillImage.Load(path);

        // Orientation 6: the camera was turned a quarter clockwise, so the stored picture is shown turned a
        // quarter clockwise: its left half (black) becomes the top.
        Assert.Equal((32, 64), (loaded.Width, loaded.Height));
        Assert.True(Gray(loaded, 16, 8) < 40, $"top should be black, is {Gray(loaded, 16, 8)}");
        Assert.True(Gray(loaded, 16, 56) > 215, $"bottom should be white, is {Gray(loaded, 16, 56)}");
    }

    [Fact]
    public void Load_GarbageOrMissingFile_NamesTheFileAndTheProblem()
    {
        string garbage = _folder.File("not-a-photo.jpg");
        File.WriteAllText(garbage, "this is a text file with a .jpg name");

        var notImage = Assert.Throws<VisionException>(() => StillImage.Load(garbage));
        var missing = Assert.Throws<VisionException>(() => StillImage.Load(_folder.File("missing.png")));

        Assert.Contains("not-a-photo.jpg", notImage.Message);
        Assert.Contains("not a JPEG or PNG", notImage.Message);
        Assert.Contains("missing.png", missing.Message);
        Assert.Contains("could not be opened", missing.Message);
    }

    [Fact]
    public void Decode_EvidenceJpeg_GivesBackItsSizeAndPicture()
    {
        Frame frame = Halves(120, 60);
        EncodedJpeg jpeg = JpegEncoder.Encode(frame.Bgr, 120, 60, frame.BgrStride, 32 * 1024);

        (byte[] bgr, int width, int height) = JpegEncoder.Decode(jpeg.Bytes);

        Assert.Equal((120, 60), (width, height));
        Assert.True(bgr[(30 * 120 + 20) * 3] < 30);    // the black half
        Assert.True(bgr[(30 * 120 + 100) * 3] > 225);  // the white half
        Assert.Throws<VisionException>(() => JpegEncoder.Decode("GIF89a not supported"u8.ToArray()));
    }

    // A JPEG with an EXIF segment (APP1) holding only the orientation tag, right after the start marker.
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,      // big-endian TIFF header, first directory at 8
            0, 1,                                          // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,                  // orientation, SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0, 0,
            0, 0, 0, 0,                                    // no next directory
        ];
        byte[] exif = [.. "Exif\0\0"u8, .. tiff];
        int length = exif.Length + 2;
        return [0xFF, 0xD8, 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif, .. jpeg.AsSpan(2)];
    }
}
