using EdgeAgent.Core.Plates;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>Which countries' plate formats a reader tries.</summary>
public enum GrammarScope
{
    /// <summary>GB formats first, then European and US ones (a UK camera sees foreign vehicles too).</summary>
    Auto,
    GreatBritain,
    Europe,
    UnitedStates,
}

/// <summary>
/// Fits what a reader believes about each position of a plate to the registration formats of a country,
/// fixing look-alike confusions (0/O, 1/I, 5/S, 8/B, 2/Z, 6/G) where the format says whether a position
/// holds a letter or a digit. Every format is priced (<see cref="PlateFormat"/>: its rarity plus -ln of the
/// probability of each character it makes of a position) against the raw read, which pays a fixed price
/// for fitting nothing; the cheapest wins. A read that fits no format keeps its raw text and is flagged
/// (<see cref="PlateText.MatchesGrammar"/> false): it is never forced into a pattern. A character at
/// either end may be dropped as something that is not one (a bolt, a sticker edge) when that is cheaper.
/// Allocates nothing.
/// </summary>
public sealed class PlateGrammar(GrammarScope scope = GrammarScope.Auto)
{
    /// <summary>A format may change at most this share of the characters read.</summary>
    private const float MaxCorrectionShare = 0.3f;

    /// <summary>What fitting no format costs, in nats: a raw read beats a format needing two doubtful changes.</summary>
    internal const float NoFormatCost = 2.5f;

    /// <summary>What dropping an end character costs on top of -ln of its chance of not being a character.</summary>
    private const float DropCost = 0.7f;

    public GrammarScope Scope { get; } = scope;

    /// <summary>Corrects and classifies a read of one character and confidence per position, in place.</summary>
    public bool Apply(ref PlateText text)
    {
        if (text.Length == 0) return Unmatched(ref text);
        Span<float> buffer = stackalloc float[PlateText.Capacity * CharTable.Symbols];
        CharTable table = CharTable.FromText(text, buffer);
        return Decode(table, ReadOnlySpan<float>.Empty, ref text);
    }

    /// <summary>Reads the classifier's characters into <paramref name="text"/>: the cheapest format, or the raw read flagged.</summary>
    public unsafe bool Decode(ReadOnlySpan<CharRead> chars, ref PlateText text)
    {
        int n = Math.Min(chars.Length, PlateText.Capacity);
        Span<float> buffer = stackalloc float[PlateText.Capacity * CharTable.Symbols];
        Span<float> notCharacter = stackalloc float[PlateText.Capacity];
        var table = new CharTable(buffer, n);
        for (int i = 0; i < n; i++)
        {
            fixed (float* p = chars[i].Probabilities)
            {
                float sum = 0;
                for (int k = 0; k < CharTable.Symbols; k++) sum += p[k];
                sum = Math.Max(sum, 1e-6f);
                for (int k = 0; k < CharTable.Symbols; k++) table.Set(i, k, p[k] / sum);
                notCharacter[i] = p[CharRead.NoiseClass];
            }
        }
        return Decode(table, notCharacter[..n], ref text);
    }

    private bool Decode(CharTable table, ReadOnlySpan<float> notCharacter, ref PlateText text)
    {
        ReadOnlySpan<PlateFormat> formats = PlateFormats.For(Scope);
        int n = table.Length;
        var best = (Format: -1, Skip: -1, Cost: RawCost(table, -1) + NoFormatCost);
        Span<float> shortened = stackalloc float[PlateText.Capacity * CharTable.Symbols];
        // Every character, or without the first or the last one (-1: none dropped).
        Span<int> skips = stackalloc int[3];
        skips[0] = -1;
        int tries = 1;
        if (n >= 4)
        {
            skips[tries++] = 0;
            skips[tries++] = n - 1;
        }
        foreach (int skip in skips[..tries])
        {
            CharTable view = skip < 0 ? table : Without(table, skip, shortened);
            float extra = skip < 0 ? 0 : DropCost + CharTable.Cost(DropChance(table, notCharacter, skip));
            for (int f = 0; f < formats.Length; f++)
            {
                if (formats[f].Fit(view) is not var (cost, corrections)) continue;
                if (corrections > view.Length * MaxCorrectionShare) continue;
                if (cost + extra < best.Cost) best = (f, skip, cost + extra);
            }
        }

        text.Clear();
        if (best.Format < 0) return WriteRaw(table, ref text);
        PlateFormat format = formats[best.Format];
        CharTable chosen = best.Skip < 0 ? table : Without(table, best.Skip, shortened);
        for (int p = 0; p < chosen.Length; p++)
        {
            char c = format.Correct(chosen, p);
            text.Append(c, chosen.Probability(p, CharTable.ClassOf(c)));
        }
        text.Layout = format.Layout;
        text.Country = format.Country;
        text.MatchesGrammar = true;
        return true;
    }

    private static float RawCost(CharTable table, int skip)
    {
        float cost = 0;
        for (int i = 0; i < table.Length; i++)
            if (i != skip) cost += CharTable.Cost(table.Probability(i, table.Best(i, 'X')));
        return cost;
    }

    // The chance that an end character is not one: the classifier's own opinion, or for a one-character
    // reader, how doubtful the character is.
    private static float DropChance(CharTable table, ReadOnlySpan<float> notCharacter, int position) =>
        notCharacter.IsEmpty
            ? 1 - table.Probability(position, table.Best(position, 'X'))
            : Math.Max(notCharacter[position], 1 - table.Probability(position, table.Best(position, 'X')));

    private static CharTable Without(CharTable table, int skip, Span<float> buffer)
    {
        var view = new CharTable(buffer, table.Length - 1);
        for (int i = 0, j = 0; i < table.Length; i++)
        {
            if (i == skip) continue;
            for (int k = 0; k < CharTable.Symbols; k++) view.Set(j, k, table.Probability(i, k));
            j++;
        }
        return view;
    }

    private static bool WriteRaw(CharTable table, ref PlateText text)
    {
        for (int i = 0; i < table.Length; i++)
        {
            int cls = table.Best(i, 'X');
            text.Append(CharTable.CharOf(cls), table.Probability(i, cls));
        }
        return Unmatched(ref text);
    }

    private static bool Unmatched(ref PlateText text)
    {
        text.Layout = PlateLayout.Unknown;
        text.MatchesGrammar = false;
        return false;
    }
}
