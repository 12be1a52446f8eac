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

    /// <summary>Writes the prepared plate into <paramref name="plate"/> (width x height, stride width); returns the character count.</summary>
    public int Prepare(GrayImage image, in PlateCandidate candidate, Span<byte> plate, int width, int height, Span<CharBox> chars)
    {
        if (plate.Length < width * height) throw new ArgumentException("plate buffer smaller than width x height", nameof(plate));
        fixed (byte* pixels = image.Pixels)
        fixed (byte* output = plate)
        fixed (CharBox* boxes = chars)
        fixed (PlateCandidate* box = &candidate)
        {
            return VisionNative.Check(
                NativeMethods.ea_plate_prepare(_scratch, pixels, image.Width, image.Height, image.Stride, box, output, width, height, boxes, chars.Length),
                "ea_plate_prepare");
        }
    }

    public void Dispose() => _scratch.Dispose();
}
