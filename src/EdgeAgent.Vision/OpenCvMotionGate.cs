using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision;

/// <summary>
/// The bridge's motion gate (ea_motion_update): the last frames in gray at 1/8 scale, tiles of 32x32
/// frame pixels that differ from the frame two back by more than a noise-adaptive threshold, grown by a
/// plate's size and merged into a few windows. Holds the camera's recent frames: one instance per camera,
/// called by that camera's processing thread only.
/// </summary>
public sealed unsafe class OpenCvMotionGate : IMotionGate, IDisposable
{
    private readonly SafeMotionHandle _handle;
    private readonly float _fullShare;

    /// <param name="fullShare">above this share of the region's tiles changed, the whole region is searched.</param>
    public OpenCvMotionGate(float fullShare = 0.5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fullShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fullShare, 1f);
        _fullShare = fullShare;
        VisionNative.EnsureLoaded();
        VisionNative.Check(NativeMethods.ea_motion_create(out _handle), "ea_motion_create");
    }

    /// <summary>The last frame's tiles that changed, of those over the region, and the threshold used.</summary>
    public (int Active, int Total, int Threshold) LastTiles { get; private set; }

    public int Plan(GrayImage image, in FindRegion region, ReadOnlySpan<SearchWindow> keep, Span<SearchWindow> windows)
    {
        var parameters = new NativeMethods.MotionParams
        {
            RoiX = region.X,
            RoiY = region.Y,
            RoiWidth = region.Width,
            RoiHeight = region.Height,
            // A moving plate's own tiles change; the margin keeps it clear of the window's edge, where the
            // finder's local mean (0.47 of the largest plate height either side) and edge threshold see
            // less than the whole region. Half the height lost 2 of the hard set's 200 passes.
            Grow = region.MaxPlateHeight,
            FullShare = _fullShare,
        };
        int written;
        NativeMethods.MotionInfo info;
        fixed (byte* pixels = image.Pixels)
        fixed (SearchWindow* kept = keep)
        fixed (SearchWindow* output = windows)
        {
            written = VisionNative.Check(
                NativeMethods.ea_motion_update(_handle, pixels, image.Width, image.Height, image.Stride, parameters, kept, keep.Length,
                    output, windows.Length, out info),
                "ea_motion_update");
        }
        LastTiles = (info.ActiveTiles, info.TotalTiles, info.Threshold);
        return info.Full != 0 ? -1 : written;
    }

    public void Dispose() => _handle.Dispose();
}
