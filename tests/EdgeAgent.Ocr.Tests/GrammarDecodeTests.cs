using EdgeAgent.Core.Plates;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Ocr.Tests;

/// <summary>The grammar over the classifier's probabilities: position-aware correction by price.</summary>
public class GrammarDecodeTests
{
    // Each position: its characters and probabilities, e.g. "B:0.55,8:0.45"; the rest is spread thinly.
    private static unsafe CharRead[] Reads(params string[] positions)
    {
        var reads = new CharRead[positions.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            var options = positions[i].Split(',').Select(o => (C: o[0], P: o.Length > 2 ? float.Parse(o[2..], System.Globalization.CultureInfo.InvariantCulture) : 0.97f)).ToList();
            float rest = (1 - options.Sum(o => o.P)) / (CharRead.Classes - options.Count);
            fixed (float* p = reads[i].Probabilities)
            {
                for (int k = 0; k < CharRead.Classes; k++) p[k] = rest;
                foreach (var (c, prob) in options) p[CharRead.ClassOf(c)] = prob;
            }
        }
        return reads;
    }

    private static PlateText Decode(GrammarScope scope, params string[] positions)
    {
        PlateText text = default;
        new PlateGrammar(scope).Decode(Reads(positions), ref text);
        return text;
    }

    [Fact]
    public void Decode_DigitSlotReadAsLetter_TakesTheLikeliestDigit()
    {
        PlateText text = Decode(GrammarScope.GreatBritain, "A", "B", "1", "Z:0.55,2:0.4", "C", "D", "E");
        Assert.Equal("AB12CDE", text.ToString());
        Assert.Equal(PlateLayout.GbCurrent, text.Layout);
        Assert.InRange(text.ConfidenceAt(3), 0.35f, 0.45f);   // the corrected character keeps its own, lower, probability
    }

    [Fact]
    public void Decode_LetterSlotReadAsDigit_BecomesTheLetter()
    {
        Assert.Equal("AB12CDE", Decode(GrammarScope.GreatBritain, "A", "8:0.6,B:0.35", "1", "2", "C", "D", "E").ToString());
    }

    [Fact]
    public void Decode_SureCharacterAgainstTheFormat_IsNotForced()
    {
        // A sure 8 in the second place: a valid prefix plate (A812CDE), not a current one with a guessed letter.
        PlateText text = Decode(GrammarScope.GreatBritain, "A", "8", "1", "2", "C", "D", "E");
        Assert.Equal("A812CDE", text.ToString());
        Assert.Equal(PlateLayout.GbPrefix, text.Layout);
    }

    [Fact]
    public void Decode_ReadThatFitsNothing_KeepsTheRawTextFlagged()
    {
        PlateText text = Decode(GrammarScope.Auto, "C", "E", "M", "E", "N", "T", "0");
        Assert.Equal("CEMENT0", text.ToString());
        Assert.False(text.MatchesGrammar);
        Assert.Equal(PlateLayout.Unknown, text.Layout);
    }

    [Fact]
    public void Decode_DoubtfulExtraCharacterAtAnEnd_IsDropped()
    {
        // A bolt or the band's edge before a Slovak plate: a doubtful 'I', as likely not a character at all.
        PlateText text = Decode(GrammarScope.Europe, "I:0.3,#:0.3", "R", "K", "7", "5", "5", "A", "J");
        Assert.Equal("RK755AJ", text.ToString());
        Assert.Equal("SK", text.Country.ToString());
    }

    [Fact]
    public void Decode_SureExtraCharacter_IsKept()
    {
        PlateText text = Decode(GrammarScope.Europe, "I", "R", "K", "7", "5", "5", "A", "J");
        Assert.Equal("IRK755AJ", text.ToString());
        Assert.False(text.MatchesGrammar);
    }

    [Theory]
    [InlineData(GrammarScope.UnitedStates, PlateLayout.UnitedStates)]
    [InlineData(GrammarScope.Auto, PlateLayout.UnitedStates)]
    public void Decode_CaliforniaPlate_IsUnitedStates(GrammarScope scope, PlateLayout layout)
    {
        PlateText text = Decode(scope, "7", "A", "B", "C", "1", "2", "3");
        Assert.Equal("7ABC123", text.ToString());
        Assert.Equal(layout, text.Layout);
    }

    [Fact]
    public void Decode_SteadyState_AllocatesNothing()
    {
        var grammar = new PlateGrammar(GrammarScope.Auto);
        CharRead[] reads = Reads("A", "B", "1", "Z:0.55,2:0.4", "C", "D", "E");
        PlateText text = default;
        for (int i = 0; i < 50; i++) grammar.Decode(reads, ref text);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++) grammar.Decode(reads, ref text);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
