using EdgeAgent.Core.Plates;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>An extra check on a text the shape admits (gets the corrected text).</summary>
public delegate bool PlateRule(ReadOnlySpan<char> text);

/// <summary>
/// One registration format as a shape: 'L' a letter, 'D' a digit, 'X' either. An optional rule rejects
/// texts the shape admits but the format does not (Northern Ireland needs an I or a Z).
/// </summary>
public sealed class PlateFormat(string shape, PlateLayout layout, CountryCode country, PlateRule? rule = null)
{
    public string Shape { get; } = shape;
    public PlateLayout Layout { get; } = layout;
    public CountryCode Country { get; } = country;

    /// <summary>How many characters must change for the text to fit; int.MaxValue when it cannot.</summary>
    public int CorrectionCost(ReadOnlySpan<char> text)
    {
        if (text.Length != Shape.Length) return int.MaxValue;
        int cost = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char fixedChar = Correct(i, c);
            if (fixedChar == '\0') return int.MaxValue;
            if (fixedChar != c) cost++;
        }
        if (rule is not null)
        {
            Span<char> corrected = stackalloc char[text.Length];
            for (int i = 0; i < text.Length; i++) corrected[i] = Correct(i, text[i]);
            if (!rule(corrected)) return int.MaxValue;
        }
        return cost;
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
