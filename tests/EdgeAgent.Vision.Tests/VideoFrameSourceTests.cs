using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Vision.Tests;

public class VideoFrameSourceTests
{
    private static string BundledSample => Path.Combine(RepoPaths.Samples, "uk-traffic.mp4");

    // A stream copy of the sample into another container layout.
    private static string Remux(string target, params string[] options)
    {
        var ffmpeg = System.Diagnostics.Process.Start("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", BundledSample, "-c", "copy", .. options, target])!;
        ffmpeg.WaitForExit();
        Assert.Equal(0, ffmpeg.ExitCode);
        return target;
    }

    [Fact]
    public void Read_BundledSample_DeliversEveryFrameInto1080pBuffers()
    {
        using VideoFrameSource source = VideoFrameSource.Open(BundledSample);
        Assert.Equal(1920, source.Info.Width);
        Assert.Equal(1080, source.Info.Height);
        Assert.False(source.Info.IsLive);
        var frame = new Frame(source.Info.Width, source.Info.Height);
        long frames = 0;
        double lastPts = -1;
        while (source.Read(frame) == FrameReadResult.Frame)
        {
            Assert.True(frame.StreamTimeMs > lastPts, "timestamps increase");
            lastPts = frame.StreamTimeMs;
            frames++;
        }
        Assert.Equal(source.Info.FrameCount, frames);
        // Gray is the luminance of the BGR frame, not left blank.
        Assert.Contains(frame.Gray, b => b > 0);
    }

    // The finder sees the gray buffer and evidence the BGR one: they must be the same picture, for video-range
    // streams and full-range (JPEG-range) ones alike. (Gray taken from the decoder's luma plane, stretched from
    // video range, saves 0.5 ms a frame but is about 1.5 levels lighter than the BGR frame's luminance, and on
    // the 200-pass hard set it lost one pass: gray stays the BGR frame's luminance, to rounding.)
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_GrayIsTheLuminanceOfTheBgrFrame(bool fullRange)
    {
        using var dir = new TempDirectory();
        string path = BundledSample;
        if (fullRange)
        {
            path = dir.File("full-range.mp4");
            var ffmpeg = System.Diagnostics.Process.Start("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", BundledSample,
                "-frames:v", "5", "-vf", "scale=out_range=full", "-pix_fmt", "yuvj420p", "-c:v", "libx264", "-preset", "ultrafast", path])!;
            ffmpeg.WaitForExit();
            Assert.Equal(0, ffmpeg.ExitCode);
        }
        using VideoFrameSource source = VideoFrameSource.Open(path);
        var frame = new Frame(source.Info.Width, source.Info.Height);
        for (int i = 0; i < 5; i++) Assert.Equal(FrameReadResult.Frame, source.Read(frame));

        long differenceSum = 0;
        int worst = 0;
        for (int p = 0; p < frame.Gray.Length; p++)
        {
            byte b = frame.Bgr[p * 3], g = frame.Bgr[p * 3 + 1], r = frame.Bgr[p * 3 + 2];
            int luminance = (int)Math.Round(0.114 * b + 0.587 * g + 0.299 * r);
            int difference = Math.Abs(luminance - frame.Gray[p]);
            differenceSum += difference;
            worst = Math.Max(worst, difference);
        }
        double mean = (double)differenceSum / frame.Gray.Length;
        Assert.True(mean < 1.0, $"mean difference {mean:F2} gray levels");
        Assert.True(worst <= 2, $"largest difference {worst} gray levels");
        Assert.Contains(frame.Gray, v => v > 200);
    }

    [Fact]
    public void Open_MissingFile_SaysItDoesNotExist()
    {
        var e = Assert.Throws<FrameSourceException>(() => VideoFrameSource.Open("/nonexistent/video.mp4"));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_GarbageFile_SaysItCannotBeDecoded()
    {
        using var dir = new TempDirectory();
        string path = dir.File("garbage.mp4");
        File.WriteAllBytes(path, Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31 % 251)).ToArray());
        var e = Assert.Throws<FrameSourceException>(() => VideoFrameSource.Open(path));
        Assert.Contains("could not be decoded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_SaysItIsEmpty()
    {
        using var dir = new TempDirectory();
        string path = dir.File("empty.mp4");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<FrameSourceException>(() => VideoFrameSource.Open(path));
        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedFile_FailsWithAClearErrorInsteadOfEndingQuietly()
    {
        using var dir = new TempDirectory();
        // An MP4 with its index in front (faststart) still opens when its tail is cut off, and declares
        // more frames than are left: the source must say so rather than report a normal end.
        byte[] bytes = File.ReadAllBytes(Remux(dir.File("whole.mp4"), "-movflags", "+faststart"));
        string cut = dir.File("cut.mp4");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);

        using VideoFrameSource source = VideoFrameSource.Open(cut);
        var frame = new Frame(source.Info.Width, source.Info.Height);
        var e = Assert.Throws<FrameSourceException>(() =>
        {
            while (source.Read(frame) == FrameReadResult.Frame) { }
        });
        Assert.Contains("truncated or corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TruncatedFileWithIndexAtTheEnd_SaysItCannotBeDecoded()
    {
        using var dir = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(Remux(dir.File("whole.mp4")));  // without faststart FFmpeg writes the index last
        string cut = dir.File("cut.mp4");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<FrameSourceException>(() => VideoFrameSource.Open(cut));
        Assert.Contains("could not be decoded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingCameraDevice_SaysToCheckTheCamera()
    {
        var e = Assert.Throws<FrameSourceException>(() => VideoFrameSource.Open("/dev/video97"));
        Assert.Contains("camera device /dev/video97 does not exist", e.Message, StringComparison.Ordinal);
    }
}
