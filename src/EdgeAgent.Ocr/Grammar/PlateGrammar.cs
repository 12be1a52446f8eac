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
/// (<see cref="PlateText.MatchesGrammar"/> false): it is never forced into a pattern. Up to two positions
/// may be left out as not being characters (a bolt, an emblem, a frame's edge) when that is cheaper.
/// Allocates nothing.
/// </summary>
public sealed class PlateGrammar(GrammarScope scope = GrammarScope.Auto)
{
    /// <summary>A format may change at most this share of the characters it keeps.</summary>
    private const float MaxCorrectionShare = 0.3f;

    /// <summary>What fitting no format costs, in nats: a raw read beats a format needing sure characters changed.</summary>
    internal const float NoFormatCost = 3.0f;

    /// <summary>What leaving a position out costs on top of -ln of its chance of not being a character.</summary>
    private const float DropCost = 0.5f;

    /// <summary>At most this many positions may be left out to fit a format (an emblem, a bolt, a frame's edge).</summary>
    private const int MaxDrops = 2;

    /// <summary>A box at least this likely not a character is left out without counting against <see cref="MaxDrops"/>.</summary>
    private const float SureNoise = 0.9f;

    private const int MaxPositions = 16;

    /// <summary>How much less likely "not a character" is for a box between characters than the classifier says (odds factor).</summary>
    internal const float InteriorNoiseOdds = 0.35f;

    /// <summary>A read whose characters span this many positions or more has more than most plates hold.</summary>
    internal const int LongRead = 8;

    /// <summary>How much likelier "not a character" is for the end boxes of such a read than the classifier says (odds factor).</summary>
    internal const float LongReadEndNoiseOdds = 8f;

    public GrammarScope Scope { get; } = scope;

    /// <summary>Corrects and classifies a read of one character and confidence per position, in place.</summary>
    public bool Apply(ref PlateText text)
    {
        if (text.Length == 0) return Unmatched(ref text);
        Span<float> buffer = stackalloc float[PlateText.Capacity * CharTable.Symbols];
        Span<float> noise = stackalloc float[PlateText.Capacity];
        CharTable table = CharTable.FromText(text, buffer, noise);
        return Decode(table, ref text, default);
    }

    /// <summary>
    /// Reads the classifier's positions (each a character or not one) into <paramref name="text"/>: the
    /// cheapest format, or the raw read of the positions that are characters, flagged.
    /// </summary>
    public unsafe bool Decode(ReadOnlySpan<CharRead> chars, ref PlateText text)
    {
        int n = Math.Min(chars.Length, MaxPositions);
        Span<float> buffer = stackalloc float[MaxPositions * CharTable.Symbols];
        Span<float> noise = stackalloc float[MaxPositions];
        var table = new CharTable(buffer, noise, n);
        Span<sbyte> ownBest = stackalloc sbyte[n];
        for (int i = 0; i < n; i++)
        {
            fixed (float* p = chars[i].Probabilities)
            {
                float sum = 0;
                for (int k = 0; k < CharTable.Symbols; k++) sum += p[k];
                sum = Math.Max(sum, 1e-6f);
                for (int k = 0; k < CharTable.Symbols; k++) table.Set(i, k, p[k] / sum);
                table.SetNoise(i, Math.Clamp(p[CharRead.NoiseClass], 1e-4f, 1 - 1e-4f));
            }
            ownBest[i] = (sbyte)table.Best(i, 'X');
            Confusions.Spread(table, i);
        }
        RowEnds.DoubtOutliers(chars[..n], table);
        ThinBars.KeepBarsAtPitch(chars[..n], table);
        NoiseByPlace(table);
        return Decode(table, ref text, ownBest);
    }

    // A box between two characters is less often "not a character" than the classifier says: bolts, frame
    // edges and stickers sit at the ends, while a character blurred or broken (a 4 or a 9 with a thinned
    // stroke, cut shorter than its neighbours) is called noise with only middling confidence and dropped.
    // Its odds of being noise are scaled by InteriorNoiseOdds, so that only a sure call (an emblem between
    // the groups) still leaves it out. Held-out plates-dev (two folds): 105 -> 109 of 165 exact at 0.35,
    // 109 at 0.2, none lost. The other way round at the ends of a read spanning LongRead positions or more
    // (more than most plates hold): a Slovak plate's band letter or a frame's edge read as a sure character
    // beside the seven. Its ends' noise odds are scaled by LongReadEndNoiseOdds, so a format may leave one
    // out for less than the raw read's price: 109 -> 110 at x3, 111 at x8 (two Slovak photos), none lost.
    private static void NoiseByPlace(CharTable table)
    {
        int first = -1, last = -1;
        for (int i = 0; i < table.Length; i++)
        {
            if (table.Noise(i) >= 0.5f) continue;
            if (first < 0) first = i;
            last = i;
        }
        for (int i = first + 1; i < last; i++) ScaleNoiseOdds(table, i, InteriorNoiseOdds);
        if (first < 0 || last - first + 1 < LongRead) return;
        ScaleNoiseOdds(table, first, LongReadEndNoiseOdds);
        ScaleNoiseOdds(table, last, LongReadEndNoiseOdds);
    }

    private static void ScaleNoiseOdds(CharTable table, int position, float factor)
    {
        float noise = table.Noise(position);
        float scaled = noise * factor;
        table.SetNoise(position, scaled / (scaled + (1 - noise)));
    }

    private bool Decode(CharTable table, ref PlateText text, ReadOnlySpan<sbyte> ownBest)
    {
        ReadOnlySpan<PlateFormat> formats = PlateFormats.For(Scope);
        int n = table.Length;
        Span<sbyte> keep = stackalloc sbyte[n];
        Span<sbyte> bestKeep = stackalloc sbyte[n];
        int bestFormat = -1;
        float bestCost = RawCost(table) + NoFormatCost;
        int maxDrops = MaxDrops + LikelyNotCharacters(table);
        for (int f = 0; f < formats.Length; f++)
        {
            if (formats[f].Fit(table, maxDrops, DropCost, keep) is not var (cost, corrections)) continue;
            if (corrections > formats[f].Shape.Length * MaxCorrectionShare) continue;
            if (cost < bestCost)
            {
                bestCost = cost;
                bestFormat = f;
                keep.CopyTo(bestKeep);
            }
        }

        text.Clear();
        if (bestFormat < 0) return WriteRaw(table, ownBest, ref text);
        PlateFormat format = formats[bestFormat];
        for (int i = 0; i < n; i++)
        {
            if (bestKeep[i] < 0) continue;
            char c = format.Correct(table, i, bestKeep[i]);
            float p = table.Probability(i, CharTable.ClassOf(c));
            if (c == 'O' && Scope == GrammarScope.UnitedStates)
            {
                // US plates draw the letter O and the digit 0 alike, and US registrations are written with 0
                // (none of plates-dev's 110 US labels holds an O; 31 hold a 0): the glyph is read as 0. Only
                // where every plate is a US one: in auto scope a GB dateless plate (ABO123) fits the US format
                // LLLDDD best, and the hard set of seed 11 lost a pass to O>0 (plates-dev gained one: 0SG719).
                c = '0';
                p += table.Probability(i, CharTable.ClassOf('0'));
            }
            text.Append(c, p);
        }
        text.Layout = format.Layout;
        text.Country = format.Country;
        text.MatchesGrammar = true;
        return true;
    }

    // Boxes surely not characters (a bolt, a frame's edge, a band's emblem: noise >= SureNoise) are left out by
    // the raw read as well, so they do not use up the MaxDrops positions a format may leave out: a Slovak
    // plate cut with its band's two boxes and a frame's edge beside its seven characters fitted no format
    // and kept its raw O>0. Held-out plates-dev (two folds) 115 -> 117 of 165 exact, none lost.
    private static int LikelyNotCharacters(CharTable table)
    {
        int count = 0;
        for (int i = 0; i < table.Length; i++)
            if (table.Noise(i) >= SureNoise) count++;
        return count;
    }

    // The raw read: each position as its likeliest character, or left out when it is likelier not one (at the
    // price a format pays for leaving a position out, so that leaving out a bar does not favour the raw read).
    private static float RawCost(CharTable table)
    {
        float cost = 0;
        for (int i = 0; i < table.Length; i++)
        {
            float character = CharTable.Cost(1 - table.Noise(i)) + CharTable.Cost(table.Probability(i, table.Best(i, 'X')));
            cost += IsCharacter(table, i) ? character : DropCost + CharTable.Cost(table.Noise(i));
        }
        return cost;
    }

    private static bool IsCharacter(CharTable table, int i) =>
        (1 - table.Noise(i)) * table.Probability(i, table.Best(i, 'X')) >= table.Noise(i);

    // The raw read writes each position's character as the classifier read it, before the look-alike shares were
    // spread (Confusions.Spread): the spread lets a format correct a look-alike, but its groups are uneven (a 0
    // gives a quarter of its probability to O and D, a D a twentieth to 0), so it would turn a 0 narrowly ahead
    // of a D into a D where no format says which it is.
    private static bool WriteRaw(CharTable table, ReadOnlySpan<sbyte> ownBest, ref PlateText text)
    {
        for (int i = 0; i < table.Length && text.Length < PlateText.Capacity; i++)
        {
            if (!IsCharacter(table, i)) continue;
            int cls = ownBest.IsEmpty ? table.Best(i, 'X') : ownBest[i];
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
