using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Ocr;

/// <summary>
/// Reads a candidate with the plate-trained character classifier: the bridge cuts the plate into
/// characters several ways and keeps the cut it reads best, with a probability for every class of every
/// character; the grammar then picks the cheapest registration format (or keeps the raw read, flagged).
/// Not thread-safe: one per processing thread. A read allocates nothing managed.
/// </summary>
public sealed class ClassifierPlateReader : IPlateReader, IDisposable
{
    /// <summary>Reads whose characters are on average less sure than this are not plates (a sign, a grille).</summary>
    public const float MinMeanProbability = 0.3f;

    /// <summary>
    /// A finder's box whose area differs from the plate around the characters read by more than this factor
    /// (either way) was not the plate: a frame or a tailgate's recess around it, or only its row of
    /// characters. The read then takes the reader's plate as its box.
    /// </summary>
    public const float MaxBoxDisagreement = 2f;

    private readonly PlateCharReader _reader;
    private readonly PlateGrammar _grammar;
    private readonly CharRead[] _chars = new CharRead[16];

    public ClassifierPlateReader(PlateGrammar grammar, string modelPath)
    {
        _grammar = grammar;
        _reader = new PlateCharReader(modelPath);
    }

    public bool TryRead(GrayImage image, ref PlateCandidate candidate, ref PlateText text)
    {
        text.Clear();
        int n = _reader.Read(image, candidate, _chars, out ReadInfo info);
        if (info.Plate.CharCount < 2 || info.Score < MinMeanProbability) return false;
        _grammar.Decode(_chars.AsSpan(0, n), ref text);
        if (text.Length < 2) return false;
        if (Disagree(candidate.Bounds, info.Plate.Bounds)) candidate = info.Plate;
        return true;
    }

    private static bool Disagree(BoxI finders, BoxI readers)
    {
        float larger = Math.Max(finders.Area, readers.Area), smaller = Math.Max(1, Math.Min(finders.Area, readers.Area));
        return readers.Area > 0 && larger > MaxBoxDisagreement * smaller;
    }

    public void Dispose() => _reader.Dispose();
}
