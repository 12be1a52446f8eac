using EdgeAgent.Core.Plates;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>
/// What a reader believes about each position of a plate: a probability for each of A-Z and 0-9. The
/// classifier gives these directly; a reader that gives one character and a confidence (Tesseract) is
/// turned into them with the confusion pairs (most of the doubt goes to the character's look-alike).
/// Lives on the stack: n x 36 floats the caller provides.
/// </summary>
internal readonly ref struct CharTable
{
    public const int Symbols = 36;  // A-Z, 0-9
    private const float Floor = 1e-4f;
    private readonly Span<float> _p;
    private readonly Span<float> _noise;

    /// <param name="probabilities">length x 36: each position's character probabilities (summing to 1).</param>
    /// <param name="noise">length: the chance each position is not a character at all (a bolt, a sticker).</param>
    public CharTable(Span<float> probabilities, Span<float> noise, int length)
    {
        _p = probabilities[..(length * Symbols)];
        _noise = noise[..length];
        Length = length;
    }

    public int Length { get; }

    public float Probability(int position, int cls) => _p[(position * Symbols) + cls];

    public void Set(int position, int cls, float p) => _p[(position * Symbols) + cls] = p;

    /// <summary>The chance that a position is not a character at all.</summary>
    public float Noise(int position) => _noise[position];

    public void SetNoise(int position, float p) => _noise[position] = p;

    /// <summary>
    /// The most probable class at a position among the characters a shape code allows: letters ('L'), digits
    /// ('D'), both ('X'), the letters of a GB serial ('C': no I or Q, which the DVLA does not issue there) or of
    /// a GB year letter ('Y': no I, O, Q, U or Z).
    /// </summary>
    public int Best(int position, char kind)
    {
        ulong allowed = Allowed(kind);
        int best = -1;
        ReadOnlySpan<float> row = _p.Slice(position * Symbols, Symbols);
        for (int k = 0; k < Symbols; k++)
            if ((allowed & (1UL << k)) != 0 && (best < 0 || row[k] > row[best])) best = k;
        return best;
    }

    private const ulong Letters = (1UL << 26) - 1;
    private const ulong Digits = ((1UL << Symbols) - 1) & ~Letters;

    private static readonly ulong SerialLetters = Letters & ~Bits("IQ");
    private static readonly ulong YearLetters = Letters & ~Bits("IOQUZ");

    private static ulong Allowed(char kind) => kind switch
    {
        'L' => Letters,
        'D' => Digits,
        'C' => SerialLetters,
        'Y' => YearLetters,
        _ => Letters | Digits,
    };

    private static ulong Bits(string letters)
    {
        ulong bits = 0;
        foreach (char c in letters) bits |= 1UL << (c - 'A');
        return bits;
    }

    /// <summary>-ln p, the cost of believing a character read with probability p.</summary>
    public static float Cost(float p) => -MathF.Log(Math.Max(p, Floor));

    public static char CharOf(int cls) => cls < 26 ? (char)('A' + cls) : (char)('0' + cls - 26);

    public static int ClassOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= '0' and <= '9' => 26 + (c - '0'),
        _ => -1,
    };

    /// <summary>
    /// Fills the table from one character and confidence per position. Such a reader says nothing of
    /// positions that are not characters: dropping one stays dear.
    /// </summary>
    public static CharTable FromText(in PlateText text, Span<float> buffer, Span<float> noise)
    {
        var table = new CharTable(buffer, noise, text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            float conf = Math.Clamp(text.ConfidenceAt(i), 0.02f, 0.98f);
            char twin = char.IsAsciiDigit(c) ? Confusions.AsLetter(c) : Confusions.AsDigit(c);
            float doubt = 1 - conf;
            // The look-alike takes most of the doubt, but never more than the character read: raw stays raw.
            float twinShare = twin != '\0' ? Math.Min(doubt * 0.7f, conf * 0.95f) : 0;
            float rest = (doubt - twinShare) / (Symbols - (twin != '\0' ? 2 : 1));
            for (int k = 0; k < Symbols; k++) table.Set(i, k, rest);
            int cls = ClassOf(c);
            if (cls >= 0) table.Set(i, cls, conf);
            if (twin != '\0') table.Set(i, ClassOf(twin), twinShare);
            table.SetNoise(i, 0.01f);
        }
        return table;
    }
}
