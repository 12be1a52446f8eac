using EdgeAgent.Core.Plates;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>An extra check on a text the shape admits (gets the corrected text).</summary>
public delegate bool PlateRule(ReadOnlySpan<char> text);

/// <summary>
/// One registration format as a shape: 'L' a letter, 'D' a digit, 'X' either. An optional rule rejects
/// texts the shape admits but the format does not (Northern Ireland needs an I or a Z).
/// </summary>
/// <param name="prior">
/// What choosing this format costs before any character is considered, in nats (-ln of a probability):
/// how rare the format is on the road. A current-format GB plate costs nothing; an old prefix plate costs
/// one nat, so "A812CDE" read with a doubtful 8 becomes AB12CDE, and read with a sure 8 stays A812CDE.
/// </param>
public sealed class PlateFormat(string shape, PlateLayout layout, CountryCode country, float prior = 0f, PlateRule? rule = null)
{
    public string Shape { get; } = shape;
    public PlateLayout Layout { get; } = layout;
    public CountryCode Country { get; } = country;
    public float Prior { get; } = prior;

    /// <summary>
    /// The price of reading the positions as this format: the prior plus, per position, -ln of the
    /// probability of the best character the format allows there (a sure character that must change is
    /// dear; a doubtful one is cheap). Null when the format does not fit.
    /// </summary>
    internal (float Cost, int Corrections)? Fit(CharTable table)
    {
        if (table.Length != Shape.Length) return null;
        float cost = Prior;
        int corrections = 0;
        Span<char> corrected = stackalloc char[table.Length];
        for (int i = 0; i < table.Length; i++)
        {
            int cls = table.Best(i, Shape[i]);
            corrected[i] = CharTable.CharOf(cls);
            cost += CharTable.Cost(table.Probability(i, cls));
            if (cls != table.Best(i, 'X')) corrections++;
        }
        if (rule is not null && !rule(corrected)) return null;
        return (cost, corrections);
    }

    /// <summary>The character this format makes of a position.</summary>
    internal char Correct(CharTable table, int position) => CharTable.CharOf(table.Best(position, Shape[position]));
}

/// <summary>The glyph pairs plate OCR confuses, in both directions (for readers that give one character, not probabilities).</summary>
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
