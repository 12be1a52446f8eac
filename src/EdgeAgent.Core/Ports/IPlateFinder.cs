using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Ports;

/// <summary>Where to look and for what size of plate (from the hardware profile, or wide open for photos).</summary>
public readonly record struct FindRegion(int X, int Y, int Width, int Height, int MinPlateHeight, int MaxPlateHeight,
    float MinAspect = 1.5f, float MaxAspect = 6.5f);

/// <summary>A rectangle of a frame to search, in frame pixels. Laid out as the bridge's <c>ea_region</c>.</summary>
public readonly record struct SearchWindow(int X, int Y, int Width, int Height)
{
    public long Area => (long)Width * Height;
}

/// <summary>Finds plate candidates in a gray frame. Implementations reuse their scratch memory.</summary>
public interface IPlateFinder
{
    /// <summary>Writes up to output.Length candidates, best first; returns how many.</summary>
    int Find(GrayImage image, in FindRegion region, Span<PlateCandidate> output);

    /// <summary>
    /// The same search restricted to <paramref name="windows"/> (clipped to the region): a plate lying whole
    /// inside one of them is found. A finder that cannot restrict its search searches the whole region.
    /// </summary>
    int Find(GrayImage image, in FindRegion region, ReadOnlySpan<SearchWindow> windows, Span<PlateCandidate> output) =>
        Find(image, region, output);
}

/// <summary>
/// Which parts of a video frame are worth a plate search: what moved in the last frames, and the windows
/// it is asked to keep (vehicles being followed). One instance per camera: it keeps that camera's recent
/// frames.
/// </summary>
public interface IMotionGate
{
    /// <summary>
    /// Keeps the frame and writes the windows to search; returns how many (0: nothing to search), or -1
    /// when the whole region should be searched (the first frames, or most of the picture changed).
    /// </summary>
    int Plan(GrayImage image, in FindRegion region, ReadOnlySpan<SearchWindow> keep, Span<SearchWindow> windows);
}

/// <summary>Reads the characters of one candidate.</summary>
public interface IPlateReader
{
    /// <summary>
    /// Fills <paramref name="text"/> and returns true when the candidate holds a readable plate. A reader
    /// that locates the plate by its characters may move <paramref name="candidate"/> to the plate it read
    /// when the finder's box was far from it; the caller then uses that box for the read.
    /// </summary>
    bool TryRead(GrayImage image, ref PlateCandidate candidate, ref PlateText text);
}
