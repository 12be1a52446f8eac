using EdgeAgent.Core.Plates;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Ocr.Tests;

public class PlateGrammarTests
{
    // Every character read with 0.9, except those marked with a following '?' (read with 0.2).
    private static PlateText Read(string raw)
    {
        var text = default(PlateText);
        text.Clear();
        for (int i = 0; i < raw.Length; i++)
        {
            bool doubtful = i + 1 < raw.Length && raw[i + 1] == '?';
            text.Append(raw[i], doubtful ? 0.2f : 0.9f);
            if (doubtful) i++;
        }
        return text;
    }

    [Theory]
    [InlineData("AB12CDE", "AB12CDE", PlateLayout.GbCurrent)]
    [InlineData("A8?12CDE", "AB12CDE", PlateLayout.GbCurrent)]  // a doubtful 8 where a current plate has a letter: B
    [InlineData("A812CDE", "A812CDE", PlateLayout.GbPrefix)]    // a sure 8: a valid prefix plate, left alone
    [InlineData("AB1Z?CDE", "AB12CDE", PlateLayout.GbCurrent)]  // Z where a digit must be: 2
    [InlineData("AB12CD3", "AB12CD3", PlateLayout.Unknown)]     // 3 has no letter twin: fits nothing
    [InlineData("0?B12CDE", "OB12CDE", PlateLayout.GbCurrent)]
    [InlineData("A123BCD", "A123BCD", PlateLayout.GbPrefix)]
    [InlineData("ABC123D", "ABC123D", PlateLayout.GbSuffix)]
    [InlineData("ABZ1234", "ABZ1234", PlateLayout.NorthernIreland)]
    [InlineData("1234AB", "1234AB", PlateLayout.GbDateless)]
    public void Apply_GbReads_CorrectsByPositionAndClassifies(string raw, string expected, PlateLayout layout)
    {
        var grammar = new PlateGrammar(GrammarScope.GreatBritain);
        PlateText text = Read(raw);
        bool matched = grammar.Apply(ref text);
        Assert.Equal(expected, text.ToString());
        Assert.Equal(layout, text.Layout);
        Assert.Equal(layout != PlateLayout.Unknown, matched);
    }

    [Fact]
    public void Apply_CorrectedCharacter_LosesConfidence()
    {
        PlateText text = Read("A8?12CDE");
        new PlateGrammar(GrammarScope.GreatBritain).Apply(ref text);
        Assert.True(text.ConfidenceAt(1) < text.ConfidenceAt(0));
        Assert.Equal(CountryCode.GreatBritain, text.Country);
    }

    [Fact]
    public void Apply_TooManyCorrectionsNeeded_KeepsTheRawTextFlagged()
    {
        PlateText text = Read("0000000");
        Assert.False(new PlateGrammar(GrammarScope.GreatBritain).Apply(ref text));
        Assert.Equal("0000000", text.ToString());
        Assert.False(text.MatchesGrammar);
    }

    [Fact]
    public void Apply_SlovakPlateInEuropeScope_IsEuropean()
    {
        PlateText text = Read("RK755AJ");
        Assert.True(new PlateGrammar(GrammarScope.Europe).Apply(ref text));
        Assert.Equal(PlateLayout.European, text.Layout);
        Assert.Equal("SK", text.Country.ToString());
    }

    [Fact]
    public void Apply_SteadyState_AllocatesNothing()
    {
        var grammar = new PlateGrammar(GrammarScope.Auto);
        PlateText template = Read("ABZ1234");
        for (int i = 0; i < 100; i++)
        {
            PlateText warm = template;
            grammar.Apply(ref warm);
        }
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                PlateText text = template;
                grammar.Apply(ref text);
            }
        }));
    }
}
