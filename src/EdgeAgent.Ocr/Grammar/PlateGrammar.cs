using EdgeAgent.Core.Plates;

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
/// Fits a raw OCR read to the registration formats of a country, fixing the confusions OCR makes between
/// look-alike glyphs (0/O, 1/I, 5/S, 8/B, 2/Z, 6/G) where the format says which class a position holds.
/// The cheapest pattern wins (see <see cref="PlateFormat"/>: the format's rarity plus the confidence of each
/// character it overrules); a read that fits none keeps its raw text and is
/// flagged (<see cref="PlateText.MatchesGrammar"/> false); it is never forced into a pattern.
/// </summary>
public sealed class PlateGrammar(GrammarScope scope = GrammarScope.Auto)
{
    /// <summary>A pattern may need at most this share of its characters corrected.</summary>
    private const float MaxCorrectionShare = 0.3f;

    /// <summary>Confidence kept by a character that was corrected (it was read as something else).</summary>
    private const float CorrectedConfidence = 0.7f;

    public GrammarScope Scope { get; } = scope;

    /// <summary>Corrects and classifies <paramref name="text"/> in place. Returns true when a pattern fits.</summary>
    public bool Apply(ref PlateText text)
    {
        ReadOnlySpan<PlateFormat> formats = PlateFormats.For(Scope);
        int bestIndex = -1;
        float bestCost = float.MaxValue;
        for (int i = 0; i < formats.Length; i++)
        {
            if (formats[i].Fit(text) is not var (cost, corrections)) continue;
            if (corrections > text.Length * MaxCorrectionShare) continue;
            if (cost < bestCost)
            {
                bestCost = cost;
                bestIndex = i;
            }
        }
        if (bestIndex < 0)
        {
            text.Layout = PlateLayout.Unknown;
            text.MatchesGrammar = false;
            return false;
        }
        PlateFormat format = formats[bestIndex];
        for (int p = 0; p < text.Length; p++)
        {
            char fixedChar = format.Correct(p, text[p]);
            if (fixedChar != text[p]) text.Set(p, fixedChar, text.ConfidenceAt(p) * CorrectedConfidence);
        }
        text.Layout = format.Layout;
        text.Country = format.Country;
        text.MatchesGrammar = true;
        return true;
    }
}
