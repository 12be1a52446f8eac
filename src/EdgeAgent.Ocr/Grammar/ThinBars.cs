using EdgeAgent.Vision.Native;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>
/// A plain bar as tall as the characters, on their line and at their pitch, is an I (or a 1), however sure
/// the classifier is that it is "not a character": it learnt bars from frame edges and bolts, which stand off
/// the row's height or apart from it (<see cref="RowEnds"/>), and a Slovak or US I is drawn as that bar. Such
/// a box's chance of not being a character is lowered to <see cref="Doubt"/>, so a format may keep it.
/// </summary>
internal static class ThinBars
{
    internal const float Doubt = 0.45f;

    /// <summary>How far from the row's pitch (share of it) the bar's centre may stand from its neighbour's.</summary>
    internal const float PitchTolerance = 0.2f;

    /// <summary>Fewer characters than this give no steady height and pitch to compare with.</summary>
    private const int MinCharacters = 4;

    public static void KeepBarsAtPitch(ReadOnlySpan<CharRead> chars, CharTable table)
    {
        int n = table.Length;
        Span<int> at = stackalloc int[n];
        int count = RowEnds.CharacterPositions(table, at);
        if (count < MinCharacters) return;
        Span<float> heights = stackalloc float[count];
        Span<float> tops = stackalloc float[count];
        Span<float> widths = stackalloc float[count];
        Span<float> steps = stackalloc float[count - 1];
        for (int k = 0; k < count; k++)
        {
            heights[k] = chars[at[k]].Height;
            tops[k] = chars[at[k]].Y;
            widths[k] = chars[at[k]].Width;
            if (k > 0) steps[k - 1] = Centre(chars[at[k]]) - Centre(chars[at[k - 1]]);
        }
        float height = RowEnds.Median(heights), top = RowEnds.Median(tops), width = RowEnds.Median(widths), pitch = RowEnds.Median(steps);
        for (int i = 0; i < n; i++)
        {
            if (table.Noise(i) < 0.5f) continue;
            ref readonly CharRead bar = ref chars[i];
            if (bar.Width >= RowEnds.ThinShare * width || bar.Width < 2) continue;
            if (MathF.Abs(bar.Height - height) > RowEnds.HeightTolerance * height) continue;
            if (MathF.Abs(bar.Y - top) > RowEnds.HeightTolerance * height) continue;
            if (!AtPitch(chars, table, i, -1, pitch) && !AtPitch(chars, table, i, 1, pitch)) continue;
            table.SetNoise(i, Math.Min(table.Noise(i), Doubt));
        }
    }

    // Whether the nearest character on one side stands one pitch from the bar, centre to centre.
    private static bool AtPitch(ReadOnlySpan<CharRead> chars, CharTable table, int bar, int side, float pitch)
    {
        for (int j = bar + side; j >= 0 && j < table.Length; j += side)
        {
            if (table.Noise(j) >= 0.5f) continue;
            return MathF.Abs(MathF.Abs(Centre(chars[j]) - Centre(chars[bar])) - pitch) <= PitchTolerance * pitch;
        }
        return false;
    }

    private static float Centre(in CharRead c) => c.X + (c.Width / 2f);
}
