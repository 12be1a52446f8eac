using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Redaction;

/// <summary>A JPEG and how it was made to fit its cap.</summary>
public sealed record EncodedJpeg(byte[] Bytes, int Quality, int Width, int Height);

/// <summary>
/// Size-capped JPEG encoding (the UK police ANPR standard's figures: a plate crop at most 3 KB, an overview
/// at most 25 KB): the best quality that fits, shrinking the picture only when even the lowest allowed
/// quality does not.
/// </summary>
public static unsafe class JpegEncoder
{
    public const int PlateCropMaxBytes = 3 * 1024;
    public const int OverviewMaxBytes = 25 * 1024;

    /// <summary>Encodes; throws <see cref="VisionException"/> (EA_E_SIZE) when the image cannot be made to fit.</summary>
    public static EncodedJpeg Encode(ReadOnlySpan<byte> bgr, int width, int height, int stride, int maxBytes, bool gray = false,
        int minQuality = 20, int maxQuality = 90, int minWidth = 32)
    {
        RedactNative.EnsureLoaded();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        byte[] output = new byte[maxBytes];
        int length, quality, outWidth, outHeight;
        fixed (byte* pixels = bgr)
        fixed (byte* o = output)
        {
            VisionNative.Check(RedactInterop.ea_jpeg_encode_capped(pixels, width, height, stride, gray ? 1 : 0, maxBytes, minQuality, maxQuality,
                minWidth, o, output.Length, out length, out quality, out outWidth, out outHeight), "ea_jpeg_encode_capped");
        }
        return new EncodedJpeg(output[..length], quality, outWidth, outHeight);
    }

    /// <summary>Decodes a JPEG or PNG into a tightly packed BGR buffer (tests, evidence viewers).</summary>
    public static (byte[] Bgr, int Width, int Height) Decode(ReadOnlySpan<byte> data)
    {
        RedactNative.EnsureLoaded();
        fixed (byte* d = data)
        {
            VisionNative.Check(RedactInterop.ea_image_decode(d, data.Length, null, 0, out int width, out int height), "ea_image_decode");
            byte[] bgr = new byte[width * height * 3];
            fixed (byte* b = bgr)
            {
                VisionNative.Check(RedactInterop.ea_image_decode(d, data.Length, b, width * 3, out width, out height), "ea_image_decode");
            }
            return (bgr, width, height);
        }
    }
}
