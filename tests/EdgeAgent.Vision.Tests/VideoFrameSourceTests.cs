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
