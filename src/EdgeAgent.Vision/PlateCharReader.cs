using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision;

/// <summary>
/// The bridge's classifier reader: deskews a candidate, cuts it into characters several ways, classifies
/// every cut with the plate-trained network and keeps the cut it reads best. Holds native scratch memory:
/// one instance per processing thread. A read allocates nothing managed.
/// </summary>
public sealed unsafe class PlateCharReader : IDisposable
{
    private readonly SafeReaderHandle _handle;

    /// <summary>Loads the character model; throws <see cref="VisionException"/> naming the file and the fix.</summary>
    public PlateCharReader(string modelPath)
    {
        VisionNative.EnsureLoaded();
        if (!File.Exists(modelPath))
            throw new VisionException($"the character model {modelPath} does not exist: set Ocr:Model to the shipped models/plate-chars.yml.gz, or train one with tools/EdgeAgent.CharTrainer");
        // The model is checked first (a file that is no model is named as such), then its network.
        string network = NetworkPathOf(modelPath);
        bool networkThere = File.Exists(network);
        VisionNative.Check(NativeMethods.ea_reader_create(modelPath, networkThere ? network : null, out _handle), "ea_reader_create");
        if (!networkThere)
        {
            _handle.Dispose();
            throw new VisionException($"the character network {network} (read beside the model {modelPath}) does not exist: copy it with the model, or train both with tools/EdgeAgent.CharTrainer");
        }
    }

    /// <summary>
    /// The convolutional network that goes with an MLP model file: the same path ending .onnx in place of
    /// .yml.gz or .yml (models/plate-chars.yml.gz -> models/plate-chars.onnx), as the trainer writes it.
    /// </summary>
    public static string NetworkPathOf(string modelPath)
    {
        string stem = modelPath.EndsWith(".gz", StringComparison.Ordinal) ? modelPath[..^3] : modelPath;
        stem = stem.EndsWith(".yml", StringComparison.Ordinal) || stem.EndsWith(".xml", StringComparison.Ordinal) ? stem[..^4] : stem;
        return stem + ".onnx";
    }

    /// <summary>Reads the candidate's characters into <paramref name="chars"/>, left to right; returns how many.</summary>
    public int Read(GrayImage image, in PlateCandidate candidate, Span<CharRead> chars, out ReadInfo info)
    {
        ReadInfo result;
        int count;
        fixed (byte* pixels = image.Pixels)
        fixed (PlateCandidate* box = &candidate)
        fixed (CharRead* output = chars)
        {
            count = VisionNative.Check(
                NativeMethods.ea_plate_read(_handle, pixels, image.Width, image.Height, image.Stride, box, &result, output, chars.Length),
                "ea_plate_read");
        }
        info = result;
        return count;
    }

    public void Dispose() => _handle.Dispose();
}
