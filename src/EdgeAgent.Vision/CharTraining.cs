using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision;

/// <summary>
/// The bridge calls the character trainer needs (tools/EdgeAgent.CharTrainer): a plate's characters cut
/// every way the reader cuts it, with the features the classifier sees; the network's training; and
/// camera-like degradation of clean images. Not used by the agent itself.
/// </summary>
public sealed unsafe class CharTraining : IDisposable
{
    private readonly SafeReaderHandle _handle;

    /// <param name="modelPath">A model whose opinion the samples carry (for aligning them with labels), or null.</param>
    public CharTraining(string? modelPath = null)
    {
        VisionNative.EnsureLoaded();
        VisionNative.Check(NativeMethods.ea_reader_create(modelPath, null, out _handle), "ea_reader_create");
    }

    /// <summary>Every cut of the candidate (the reader's two passes), each box with its features; returns how many.</summary>
    public int Samples(GrayImage image, in PlateCandidate candidate, Span<CharSample> output)
    {
        fixed (byte* pixels = image.Pixels)
        fixed (PlateCandidate* box = &candidate)
        fixed (CharSample* samples = output)
        {
            return VisionNative.Check(
                NativeMethods.ea_plate_samples(_handle, pixels, image.Width, image.Height, image.Stride, box, samples, output.Length),
                "ea_plate_samples");
        }
    }

    /// <summary>Trains and writes a network; returns the accuracy on the tenth of the samples held back.</summary>
    public static double Train(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int hidden, int iterations, ulong seed, string path)
    {
        VisionNative.EnsureLoaded();
        if (features.Length != labels.Length * CharSample.Features) throw new ArgumentException("features must hold one row of CharSample.Features per label");
        fixed (float* x = features)
        fixed (int* y = labels)
        {
            VisionNative.Check(NativeMethods.ea_classifier_train(x, y, labels.Length, hidden, iterations, seed, path, out double accuracy), "ea_classifier_train");
            return accuracy;
        }
    }

    /// <summary>Blurs, re-lights, adds noise to and JPEG-compresses a gray image in place.</summary>
    public static void Degrade(Span<byte> gray, int width, int height, int stride, in DegradeParams parameters)
    {
        VisionNative.EnsureLoaded();
        if (gray.Length < ((height - 1) * stride) + width) throw new ArgumentException("image buffer too small", nameof(gray));
        fixed (byte* pixels = gray)
        {
            VisionNative.Check(NativeMethods.ea_image_degrade(pixels, width, height, stride, parameters), "ea_image_degrade");
        }
    }

    public void Dispose() => _handle.Dispose();
}
