using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision;

/// <summary>
/// Turns a candidate into what a character reader wants: the plate deskewed and scaled to a fixed height,
/// redrawn as clean dark characters on white (bands, bolts and frames removed), with the character boxes
/// left to right. Holds native scratch memory: one instance per processing thread.
/// </summary>
public sealed unsafe class PlatePreparer : IDisposable
{
    private readonly SafeFinderHandle _scratch;

    public PlatePreparer()
    {
        VisionNative.EnsureLoaded();
        VisionNative.Check(NativeMethods.ea_finder_create(out _scratch), "ea_finder_create");
    }

    /// <summary>
    /// Writes the prepared plate into <paramref name="plate"/> (rows of <paramref name="stride"/> bytes,
    /// <paramref name="height"/> rows); the width used follows the plate's aspect, at most the stride.
    /// </summary>
    public PreparedPlate Prepare(GrayImage image, in PlateCandidate candidate, Span<byte> plate, int stride, int height, Span<CharBox> chars)
    {
        if (plate.Length < stride * height) throw new ArgumentException("plate buffer smaller than stride x height", nameof(plate));
        int width;
        int count;
        fixed (byte* pixels = image.Pixels)
        fixed (byte* output = plate)
        fixed (CharBox* boxes = chars)
        fixed (PlateCandidate* box = &candidate)
        {
            count = VisionNative.Check(
                NativeMethods.ea_plate_prepare(_scratch, pixels, image.Width, image.Height, image.Stride, box, output, stride, height, out width, boxes, chars.Length),
                "ea_plate_prepare");
        }
        return new PreparedPlate(width, count);
    }

    public void Dispose() => _scratch.Dispose();
}

/// <summary>The width the prepared plate took and how many characters were found in it.</summary>
public readonly record struct PreparedPlate(int Width, int CharCount);
