using EdgeAgent.Core.Plates;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>An extra check on a text the shape admits (gets the corrected text).</summary>
public delegate bool PlateRule(ReadOnlySpan<char> text);

/// <summary>
/// One registration format as a shape: 'L' a letter, 'D' a digit, 'X' either, 'C' and 'Y' the narrower
/// alphabets of GB serial and year letters (<see cref="CharTable.Best"/>). An optional rule rejects texts the
/// shape admits but the format does not (Northern Ireland needs an I or a Z; GB numbers have no leading zero).
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
    /// The price of reading the positions as this format: the prior, plus for each position kept as a
    /// character -ln of its chance of being one and of the best character the format allows there (a sure
    /// character that must change is dear; a doubtful one is cheap), plus for each position left out -ln
    /// of its chance of not being a character and <paramref name="dropCost"/>. Up to
    /// <paramref name="maxDrops"/> positions may be left out; which ones is decided by dynamic programming.
    /// <paramref name="keep"/> gets, per position, the format position it became or -1. Null when the
    /// format does not fit.
    /// </summary>
    internal (float Cost, int Corrections)? Fit(CharTable table, int maxDrops, float dropCost, Span<sbyte> keep)
    {
        int n = table.Length, m = Shape.Length;
        if (m > n || n - m > maxDrops) return null;
        // cost[i, j]: the first i positions made into the first j characters of the shape.
        Span<float> cost = stackalloc float[(n + 1) * (m + 1)];
        Span<bool> took = stackalloc bool[(n + 1) * (m + 1)];
        cost.Fill(float.PositiveInfinity);
        cost[0] = 0;
        for (int i = 1; i <= n; i++)
        {
            float drop = dropCost + CharTable.Cost(table.Noise(i - 1));
            float isChar = CharTable.Cost(1 - table.Noise(i - 1));
            for (int j = 0; j <= Math.Min(i, m); j++)
            {
                float leave = cost[((i - 1) * (m + 1)) + j] + drop;
                float take = j == 0
                    ? float.PositiveInfinity
                    : cost[((i - 1) * (m + 1)) + j - 1] + isChar + CharTable.Cost(table.Probability(i - 1, table.Best(i - 1, Shape[j - 1])));
                took[(i * (m + 1)) + j] = take <= leave;
                cost[(i * (m + 1)) + j] = Math.Min(take, leave);
            }
        }
        float total = cost[(n * (m + 1)) + m];
        if (float.IsPositiveInfinity(total)) return null;

        Span<char> corrected = stackalloc char[m];
        int corrections = 0;
        for (int i = n, j = m; i > 0; i--)
        {
            if (j > 0 && took[(i * (m + 1)) + j])
            {
                int cls = table.Best(i - 1, Shape[j - 1]);
                corrected[j - 1] = CharTable.CharOf(cls);
                if (cls != table.Best(i - 1, 'X')) corrections++;
                keep[i - 1] = (sbyte)(j - 1);
                j--;
            }
            else
            {
                keep[i - 1] = -1;
            }
        }
        if (rule is not null && !rule(corrected)) return null;
        return (Prior + total, corrections);
    }

    /// <summary>The character this format makes of a position that is its character number <paramref name="slot"/>.</summary>
    internal char Correct(CharTable table, int position, int slot) => CharTable.CharOf(table.Best(position, Shape[slot]));
}

/// <summary>The glyph pairs plate OCR confuses, in both directions.</summary>
public static class Confusions
{
    /// <summary>
    /// Look-alike groups and how alike plate fonts draw them: the share of a character's probability that
    /// goes to its look-alikes whatever the classifier says. A classifier trained on one font's 0 and O
    /// may be sure of a difference that another font does not make (a Slovak O is a German 0); without
    /// this floor a sure but wrong 0 in a letter's place could never be corrected.
    /// </summary>
    private static readonly (string Group, float Share)[] LookAlikes =
    [
        ("0O", 0.2f), ("1I", 0.12f), ("8B", 0.08f), ("5S", 0.08f), ("2Z", 0.06f), ("6G", 0.05f), ("0D", 0.05f), ("OQ", 0.04f),
        ("1L", 0.03f), ("4A", 0.02f), ("7T", 0.02f),
    ];

    /// <summary>Moves the look-alike share of each character of a position to the others of its group.</summary>
    internal static void Spread(CharTable table, int position)
    {
        Span<float> moved = stackalloc float[CharTable.Symbols];
        moved.Clear();
        foreach (var (group, share) in LookAlikes)
        {
            foreach (char c in group)
            {
                int from = CharTable.ClassOf(c);
                float amount = table.Probability(position, from) * share;
                moved[from] -= amount;
                foreach (char d in group)
                    if (d != c) moved[CharTable.ClassOf(d)] += amount / (group.Length - 1);
            }
        }
        for (int k = 0; k < CharTable.Symbols; k++) table.Set(position, k, table.Probability(position, k) + moved[k]);
    }

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
