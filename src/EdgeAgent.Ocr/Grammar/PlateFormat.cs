using EdgeAgent.Core.Plates;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>An extra check on a text the shape admits (gets the corrected text).</summary>
public delegate bool PlateRule(ReadOnlySpan<char> text);

/// <summary>
/// One registration format as a shape: 'L' a letter, 'D' a digit, 'X' either. An optional rule rejects
/// texts the shape admits but the format does not (Northern Ireland needs an I or a Z).
/// </summary>
/// <param name="prior">
/// What choosing this format costs before any correction, in the units of a character's confidence: how
/// rare the format is on the road. A current-format GB plate costs nothing; an old prefix plate costs a
/// little, so "A812CDE" read with a doubtful 8 becomes AB12CDE, and read with a sure 8 stays A812CDE.
/// </param>
public sealed class PlateFormat(string shape, PlateLayout layout, CountryCode country, float prior = 0f, PlateRule? rule = null)
{
    public string Shape { get; } = shape;
    public PlateLayout Layout { get; } = layout;
    public CountryCode Country { get; } = country;
    public float Prior { get; } = prior;

    /// <summary>
    /// The price of reading the text as this format: the prior plus, for each character that must change,
    /// the confidence it was read with (overruling a sure character is dear). Null when it cannot fit.
    /// </summary>
    public (float Cost, int Corrections)? Fit(in PlateText text)
    {
        if (text.Length != Shape.Length) return null;
        float cost = Prior;
        int corrections = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char fixedChar = Correct(i, c);
            if (fixedChar == '\0') return null;
            if (fixedChar == c) continue;
            corrections++;
            cost += Math.Clamp(text.ConfidenceAt(i), 0.05f, 1f);
        }
        if (rule is not null)
        {
            Span<char> corrected = stackalloc char[text.Length];
            for (int i = 0; i < text.Length; i++) corrected[i] = Correct(i, text[i]);
            if (!rule(corrected)) return null;
        }
        return (cost, corrections);
    }

    /// <summary>The character this format expects at <paramref name="position"/> given the read; '\0' when none fits.</summary>
    public char Correct(int position, char c) => Shape[position] switch
    {
        'L' => char.IsAsciiLetterUpper(c) ? c : Confusions.AsLetter(c),
        'D' => char.IsAsciiDigit(c) ? c : Confusions.AsDigit(c),
        _ => c,
    };
}

/// <summary>The glyph pairs plate OCR confuses, in both directions.</summary>
public static class Confusions
{
    public static char AsDigit(char letter) => letter switch
    {
        'O' or 'D' or 'Q' or 'U' => '0',
        'I' or 'L' or 'J' => '1',
        'Z' => '2',
        'S' => '5',
        'B' => '8',
        'G' => '6',
        'A' => '4',
        'T' => '7',
        _ => '\0',
    };

    public static char AsLetter(char digit) => digit switch
    {
        '0' => 'O',
        '1' => 'I',
        '2' => 'Z',
        '5' => 'S',
        '8' => 'B',
        '6' => 'G',
        '4' => 'A',
        '7' => 'T',
        _ => '\0',
    };
}
