using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision;

/// <summary>
/// The classical finder in the bridge (vertical-edge density, morphology, plate shape and a row of
/// character blobs). Holds native scratch memory: one instance per processing thread.
/// </summary>
public sealed unsafe class OpenCvPlateFinder : IPlateFinder, IDisposable
{
    private readonly SafeFinderHandle _handle;

    public OpenCvPlateFinder()
    {
        VisionNative.EnsureLoaded();
        VisionNative.Check(NativeMethods.ea_finder_create(out _handle), "ea_finder_create");
    }

    public int Find(GrayImage image, in FindRegion region, Span<PlateCandidate> output)
    {
        NativeMethods.FindParams parameters = ParametersOf(region);
        fixed (byte* pixels = image.Pixels)
        fixed (PlateCandidate* candidates = output)
        {
            return VisionNative.Check(
                NativeMethods.ea_finder_find(_handle, pixels, image.Width, image.Height, image.Stride, parameters, candidates, output.Length),
                "ea_finder_find");
        }
    }

    public int Find(GrayImage image, in FindRegion region, ReadOnlySpan<SearchWindow> windows, Span<PlateCandidate> output)
    {
        NativeMethods.FindParams parameters = ParametersOf(region);
        fixed (byte* pixels = image.Pixels)
        fixed (SearchWindow* regions = windows)
        fixed (PlateCandidate* candidates = output)
        {
            return VisionNative.Check(
                NativeMethods.ea_finder_find_in(_handle, pixels, image.Width, image.Height, image.Stride, parameters, regions, windows.Length,
                    candidates, output.Length),
                "ea_finder_find_in");
        }
    }

    private static NativeMethods.FindParams ParametersOf(in FindRegion region) =>
        new()
        {
            RoiX = region.X,
            RoiY = region.Y,
            RoiWidth = region.Width,
            RoiHeight = region.Height,
            MinPlateHeight = region.MinPlateHeight,
            MaxPlateHeight = region.MaxPlateHeight,
            MinAspect = region.MinAspect,
            MaxAspect = region.MaxAspect,
        };

    public void Dispose() => _handle.Dispose();
}
