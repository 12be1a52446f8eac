using EdgeAgent.Core.Ports;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Vision;

namespace EdgeAgent.Ocr;

/// <summary>
/// The finder and reader of one processing thread, built the same way for the live loop, replay and eval
/// (so eval measures what runs on the camera). The plate-trained classifier reads when its model is
/// there; Tesseract is the general fallback without one. Owns the native objects: dispose it with the loop.
/// </summary>
public sealed class PlateReaderSet : IDisposable
{
    private PlateReaderSet(OpenCvPlateFinder finder, IPlateReader reader, string engine)
    {
        Finder = finder;
        Reader = reader;
        Engine = engine;
    }

    public IPlateFinder Finder { get; }
    public IPlateReader Reader { get; }

    /// <summary>Which reader reads: "classifier (path)" or "tesseract (path)", for logs and eval.</summary>
    public string Engine { get; }

    /// <param name="modelPath">The character model; null or empty falls back to Tesseract.</param>
    public static PlateReaderSet Create(GrammarScope scope, string tessDataPath, string? modelPath)
    {
        var finder = new OpenCvPlateFinder();
        try
        {
            var grammar = new PlateGrammar(scope);
            return string.IsNullOrEmpty(modelPath)
                ? new PlateReaderSet(finder, new TesseractPlateReader(grammar, tessDataPath), $"tesseract ({tessDataPath})")
                : new PlateReaderSet(finder, new ClassifierPlateReader(grammar, modelPath), $"classifier ({modelPath})");
        }
        catch
        {
            finder.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        ((IDisposable)Reader).Dispose();
        ((IDisposable)Finder).Dispose();
    }
}
