using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Tests;

/// <summary>
/// The finder computes its shrink and its character blobs itself, faster than OpenCV, and promises the
/// same pixels and the same components in the same order (so the same proposals and reads): checked against OpenCV on
/// frames of the bundled sample, on the region of interest the 1080p profiles use and on odd windows.
/// </summary>
public class FinderArithmeticTests
{
    // Frames with and without vehicles; the search scales of 32-200 px plates (16 / (h * 0.72)), and others.
    private static readonly int[] FrameIndices = [40, 330, 700];
    private static readonly double[] Scales = [0.6944444444444444, 0.31565656565656564, 0.14348025711662075, 0.5, 0.37, 0.9];
    private static readonly (int X, int Y, int W, int H)[] Windows = [(0, 120, 1920, 960), (357, 411, 845, 333), (1500, 700, 419, 379), (3, 5, 97, 61)];

    private static readonly Lazy<IReadOnlyList<Frame>> Frames = new(() =>
    {
        using VideoFrameSource source = VideoFrameSource.Open(Path.Combine(RepoPaths.Samples, "uk-traffic.mp4"));
        var frames = new List<Frame>();
        for (int i = 0; i <= FrameIndices[^1]; i++)
        {
            var frame = new Frame(source.Info.Width, source.Info.Height);
            Assert.Equal(FrameReadResult.Frame, source.Read(frame));
            frame.Index = i;
            if (FrameIndices.Contains(i)) frames.Add(frame);
        }
        return frames;
    });

    [Fact]
    public unsafe void Shrink_SampleFramesAndWindows_GivesOpenCvsInterAreaPixelsExactly()
    {
        foreach (Frame frame in Frames.Value)
        foreach (var (x, y, w, h) in Windows)
        foreach (double scale in Scales)
        {
            fixed (byte* gray = frame.Gray)
            {
                byte* origin = gray + (y * frame.GrayStride) + x;
                VisionNative.Check(NativeMethods.ea_shrink_compare(origin, w, h, frame.GrayStride, scale, out int most, out long differing),
                    "ea_shrink_compare");
                Assert.True(differing == 0, $"frame {frame.Index}, window {x},{y} {w}x{h}, scale {scale}: {differing} pixels differ, by up to {most}");
            }
        }
    }

    // The motion gate's 1/8 scale (and other whole factors) over the 1080p profiles' region and the whole frame.
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(3)]
    public unsafe void ShrinkBlocks_SampleFrames_GivesOpenCvsInterAreaPixelsExactly(int factor)
    {
        foreach (Frame frame in Frames.Value)
        foreach (var (x, y, w, h) in new[] { (0, 120, 1920, 960), (0, 0, 1920, 1080) })
        {
            fixed (byte* gray = frame.Gray)
            {
                byte* origin = gray + (y * frame.GrayStride) + x;
                int width = w / factor * factor, height = h / factor * factor;
                VisionNative.Check(NativeMethods.ea_shrink_compare(origin, width, height, frame.GrayStride, 1.0 / factor, out int most, out long differing),
                    "ea_shrink_compare");
                Assert.True(differing == 0, $"frame {frame.Index}, {width}x{height} at {x},{y}, factor {factor}: {differing} pixels differ, by up to {most}");
            }
        }
    }

    [Fact]
    public unsafe void Blobs_SampleFramesAtSeveralThresholds_AreOpenCvsConnectedComponentsInOpenCvsOrder()
    {
        long compared = 0;
        foreach (Frame frame in Frames.Value)
        foreach (var (x, y, w, h) in Windows)
        foreach (int threshold in new[] { 40, 90, 128, 170, 220 })
        {
            fixed (byte* gray = frame.Gray)
            {
                byte* origin = gray + (y * frame.GrayStride) + x;
                VisionNative.Check(NativeMethods.ea_blobs_compare(origin, w, h, frame.GrayStride, threshold, out int ours, out int opencv, out int matching),
                    "ea_blobs_compare");
                Assert.True(ours == opencv && matching == opencv,
                    $"frame {frame.Index}, window {x},{y} {w}x{h}, threshold {threshold}: {ours} blobs against OpenCV's {opencv}, {matching} the same in the same place");
                compared += opencv;
            }
        }
        Assert.True(compared > 100, $"only {compared} components compared: the frames are not the sample's");
    }

    [Fact]
    public unsafe void Compare_BadArguments_FailsNamingTheCall()
    {
        VisionNative.EnsureLoaded();
        byte[] gray = new byte[64];
        fixed (byte* p = gray)
        {
            Assert.True(NativeMethods.ea_shrink_compare(p, 8, 8, 8, 1.5, out _, out _) < 0);
            Assert.Contains("ea_shrink_compare", VisionNative.LastError(), StringComparison.Ordinal);
            Assert.True(NativeMethods.ea_blobs_compare(p, 8, 8, 4, 10, out _, out _, out _) < 0);
            Assert.Contains("ea_blobs_compare", VisionNative.LastError(), StringComparison.Ordinal);
        }
    }
}
