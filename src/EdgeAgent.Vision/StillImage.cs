using EdgeAgent.Core.Frames;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision;

/// <summary>Decodes a JPEG/PNG photo into a <see cref="Frame"/> (evaluation on labelled photos).</summary>
public static unsafe class StillImage
{
    /// <summary>Loads the image; throws <see cref="VisionException"/> naming the file when it cannot be decoded.</summary>
    public static Frame Load(string path)
    {
        VisionNative.EnsureLoaded();
        int status = NativeMethods.ea_image_load(path, out SafeImageHandle image, out int width, out int height);
        using (image)
        {
            VisionNative.Check(status, "ea_image_load");
            var frame = new Frame(width, height);
            fixed (byte* bgr = frame.Bgr)
            fixed (byte* gray = frame.Gray)
            {
                VisionNative.Check(NativeMethods.ea_image_copy(image, bgr, frame.BgrStride, gray, frame.GrayStride), "ea_image_copy");
            }
            return frame;
        }
    }
}
