using EdgeAgent.Vision.Native;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>
/// The first and last characters of a cut that do not line up with the others are doubted: a plate frame's
/// edge or a bolt beside the characters is cut as a thin bar read as I, 1 or L, taller or shorter than the
/// characters or standing apart from them. Characters of one plate share one height and one spacing, so a
/// box at an end narrower than <see cref="ThinShare"/> of the characters' width that differs in height by
/// more than <see cref="HeightTolerance"/>, or stands more than <see cref="GapFactor"/> gaps from its
/// neighbour, gets at least <see cref="Doubt"/> chance of not being a character: a format may then leave it
/// out cheaply, and the raw read leaves it out. Wide characters are never doubted (a real first or last
/// character cut a little taller is still as wide as the others).
/// </summary>
internal static class RowEnds
{
    internal const float HeightTolerance = 0.12f;
    internal const float GapFactor = 2.0f;
    internal const float ThinShare = 0.8f;
    internal const float Doubt = 0.6f;

    /// <summary>Fewer characters than this give no steady height and spacing to compare the ends with.</summary>
    private const int MinCharacters = 5;

    public static void DoubtOutliers(ReadOnlySpan<CharRead> chars, CharTable table)
    {
        Span<int> at = stackalloc int[table.Length];
        int count = CharacterPositions(table, at);
        if (count < MinCharacters) return;

        // Height and spacing of the characters between the two ends.
        Span<float> heights = stackalloc float[count - 2];
        Span<float> widths = stackalloc float[count - 2];
        Span<float> gaps = stackalloc float[count - 3];
        for (int k = 1; k < count - 1; k++)
        {
            heights[k - 1] = chars[at[k]].Height;
            widths[k - 1] = chars[at[k]].Width;
            if (k + 1 < count - 1) gaps[k - 1] = Gap(chars[at[k]], chars[at[k + 1]]);
        }
        var row = new Row(Median(heights), Median(widths), Math.Max(1f, Median(gaps)));
        Check(chars[at[0]], Gap(chars[at[0]], chars[at[1]]), at[0], row, table);
        Check(chars[at[count - 1]], Gap(chars[at[count - 2]], chars[at[count - 1]]), at[count - 1], row, table);
    }

    private readonly record struct Row(float Height, float Width, float Gap);

    private static void Check(in CharRead end, float gapToNeighbour, int position, Row row, CharTable table)
    {
        if (end.Width >= ThinShare * row.Width) return;
        float height = row.Height, gap = row.Gap;
        bool offHeight = MathF.Abs(end.Height - height) > HeightTolerance * height;
        bool apart = gapToNeighbour > GapFactor * gap && gapToNeighbour > 0.3f * height;
        if (offHeight || apart) table.SetNoise(position, Math.Max(table.Noise(position), Doubt));
    }

    private static float Gap(in CharRead left, in CharRead right) => right.X - (left.X + left.Width);

    /// <summary>Writes the positions likelier characters than not into <paramref name="at"/>; returns how many.</summary>
    internal static int CharacterPositions(CharTable table, Span<int> at)
    {
        int count = 0;
        for (int i = 0; i < table.Length; i++)
            if (table.Noise(i) < 0.5f) at[count++] = i;
        return count;
    }

    /// <summary>The median (sorts the values in place).</summary>
    internal static float Median(Span<float> values)
    {
        values.Sort();
        int n = values.Length;
        return n == 0 ? 0 : n % 2 == 1 ? values[n / 2] : 0.5f * (values[(n / 2) - 1] + values[n / 2]);
    }
}
