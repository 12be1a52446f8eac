using EdgeAgent.Core.Ports;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Vision;

namespace EdgeAgent.Ocr;

/// <summary>
/// The finder and reader of one processing thread, built the same way for the live loop, replay and eval
/// (so eval measures what runs on the camera). Owns the native objects: dispose it with the loop.
/// </summary>
public sealed class PlateReaderSet : IDisposable
{
    private PlateReaderSet(OpenCvPlateFinder finder, TesseractPlateReader reader)
    {
        Finder = finder;
        Reader = reader;
    }

    public IPlateFinder Finder { get; }
    public IPlateReader Reader { get; }

    public static PlateReaderSet Create(GrammarScope scope, string tessDataPath)
    {
        var finder = new OpenCvPlateFinder();
        try
        {
            return new PlateReaderSet(finder, new TesseractPlateReader(new PlateGrammar(scope), tessDataPath));
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
