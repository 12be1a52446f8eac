using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Ocr.Tesseract;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Ocr;

/// <summary>
/// Reads a candidate: the bridge prepares a clean row of characters, Tesseract reads it as one line with a
/// plate alphabet, and the grammar fixes look-alike confusions by position. Not thread-safe: one per
/// processing thread. The buffers are allocated once; a read allocates nothing managed.
/// </summary>
public sealed class TesseractPlateReader : IPlateReader, IDisposable
{
    /// <summary>Prepared plates are this many pixels high: characters of about 45 px suit Tesseract.</summary>
    public const int PlateHeight = 64;
    public const int MaxPlateWidth = 512;
    private const int Margin = 8;

    private readonly PlatePreparer _preparer = new();
    private readonly TesseractEngine _engine;
    private readonly PlateGrammar _grammar;
    private readonly byte[] _plate = GC.AllocateArray<byte>(PlateHeight * MaxPlateWidth, pinned: true);
    private readonly CharBox[] _chars = new CharBox[24];

    public TesseractPlateReader(PlateGrammar grammar, string tessDataPath = TesseractLibrary.DefaultDataPath)
    {
        _grammar = grammar;
        _engine = new TesseractEngine(tessDataPath);
    }

    public bool TryRead(GrayImage image, ref PlateCandidate candidate, ref PlateText text)
    {
        text.Clear();
        var (width, count) = _preparer.Prepare(image, candidate, _plate, MaxPlateWidth, PlateHeight, _chars);
        if (count < 2) return false;

        // Tesseract sees only the span of the characters, with a white margin.
        int left = Math.Max(0, _chars[0].X - Margin);
        int right = Math.Min(width, _chars[count - 1].X + _chars[count - 1].Width + Margin);
        _engine.Recognize(_plate.AsSpan(left), right - left, PlateHeight, MaxPlateWidth, ref text);
        if (text.Length < 2) return false;
        _grammar.Apply(ref text);
        return true;
    }

    public void Dispose()
    {
        _engine.Dispose();
        _preparer.Dispose();
    }
}
