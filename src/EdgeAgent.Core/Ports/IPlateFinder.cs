using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Ports;

/// <summary>Where to look and for what size of plate (from the hardware profile, or wide open for photos).</summary>
public readonly record struct FindRegion(int X, int Y, int Width, int Height, int MinPlateHeight, int MaxPlateHeight,
    float MinAspect = 1.5f, float MaxAspect = 6.5f);

/// <summary>Finds plate candidates in a gray frame. Implementations reuse their scratch memory.</summary>
public interface IPlateFinder
{
    /// <summary>Writes up to output.Length candidates, best first; returns how many.</summary>
    int Find(GrayImage image, in FindRegion region, Span<PlateCandidate> output);
}

/// <summary>Reads the characters of one candidate.</summary>
public interface IPlateReader
{
    /// <summary>Fills <paramref name="text"/> and returns true when the candidate holds a readable plate.</summary>
    bool TryRead(GrayImage image, in PlateCandidate candidate, ref PlateText text);
}
