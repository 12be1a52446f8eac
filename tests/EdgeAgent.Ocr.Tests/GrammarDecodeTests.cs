using EdgeAgent.Core.Plates;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.TestSupport;
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

    internal static PlateText Decode(GrammarScope scope, params string[] positions)
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
    public void Decode_BrokenCharacterBetweenCharacters_IsKept()
    {
        // A blurred 4 inside a US plate: the classifier calls it not a character with middling confidence.
        PlateText text = Decode(GrammarScope.UnitedStates, "H", "F", "#:0.6,4:0.2", "Y", "3", "B");
        Assert.Equal("HF4Y3B", text.ToString());
    }

    [Fact]
    public void Decode_SureNoiseBetweenGroups_IsStillDropped()
    {
        // A Slovak coat of arms between the district and the number: surely not a character.
        PlateText text = Decode(GrammarScope.Europe, "R", "K", "#:0.97", "7", "5", "5", "A", "J");
        Assert.Equal("RK755AJ", text.ToString());
    }

    [Fact]
    public void Decode_ExtraCharacterAtTheEndOfALongRead_IsDropped()
    {
        // A Slovak plate's seven characters and the frame's edge after them, read as a 7 with 0.8.
        PlateText text = Decode(GrammarScope.Europe, "R", "K", "8", "2", "8", "A", "G", "7:0.8,#:0.1");
        Assert.Equal("RK828AG", text.ToString());
        Assert.Equal("SK", text.Country.ToString());
    }

    [Fact]
    public void Decode_MiddlingNoiseAtAnEnd_IsStillDropped()
    {
        PlateText text = Decode(GrammarScope.UnitedStates, "H", "F", "4", "Y", "3", "B", "#:0.6,1:0.2");
        Assert.Equal("HF4Y3B", text.ToString());
    }

    // A row of boxes: each position's reads as in Reads, at x with the given width and height.
    private static PlateText DecodeRow(GrammarScope scope, params (string Reads, int X, int Width, int Height)[] boxes)
    {
        CharRead[] reads = Reads(boxes.Select(b => b.Reads).ToArray());
        for (int i = 0; i < boxes.Length; i++)
        {
            reads[i].X = boxes[i].X;
            reads[i].Width = boxes[i].Width;
            reads[i].Height = boxes[i].Height;
        }
        PlateText text = default;
        new PlateGrammar(scope).Decode(reads, ref text);
        return text;
    }

    [Fact]
    public void Decode_ThinTallBarAfterTheCharacters_IsLeftOut()
    {
        // A frame's edge cut as a sure I, taller and thinner than the characters: not a character.
        PlateText text = DecodeRow(GrammarScope.Auto, ("A", 0, 18, 38), ("B", 22, 18, 38), ("1", 44, 18, 38), ("2", 66, 18, 38),
            ("C", 100, 18, 38), ("D", 122, 18, 38), ("E", 144, 18, 38), ("I", 170, 6, 48));
        Assert.Equal("AB12CDE", text.ToString());
        Assert.True(text.MatchesGrammar);
    }

    [Fact]
    public void Decode_ThinBarStandingApartBeforeTheCharacters_IsLeftOut()
    {
        PlateText text = DecodeRow(GrammarScope.Auto, ("I", 0, 4, 37), ("A", 30, 18, 38), ("B", 52, 18, 38), ("1", 74, 18, 38), ("2", 96, 18, 38),
            ("C", 130, 18, 38), ("D", 152, 18, 38), ("E", 174, 18, 38));
        Assert.Equal("AB12CDE", text.ToString());
    }

    [Fact]
    public void Decode_LookAlikeBesideALeftOutBar_StillFitsTheFormat()
    {
        // Leaving the frame's edge out costs the raw read what it costs a format, so the Slovak format with
        // its last 0 read as the letter O wins over the raw read that merely drops the bar.
        PlateText text = DecodeRow(GrammarScope.Europe, ("R", 0, 18, 38), ("K", 22, 18, 38), ("5", 56, 18, 38), ("5", 78, 18, 38),
            ("0", 100, 18, 38), ("A", 122, 18, 38), ("0", 144, 18, 38), ("I", 170, 6, 48));
        Assert.Equal("RK550AO", text.ToString());
        Assert.True(text.MatchesGrammar);
    }

    [Fact]
    public void Decode_NarrowFirstCharacterInLineWithTheRow_IsKept()
    {
        // A real 1 is narrow too, but as tall as the others and spaced like them.
        PlateText text = DecodeRow(GrammarScope.Auto, ("1", 0, 8, 38), ("A", 12, 18, 38), ("B", 34, 18, 38), ("C", 56, 18, 38),
            ("2", 90, 18, 38), ("3", 112, 18, 38), ("4", 134, 18, 38));
        Assert.Equal("1ABC234", text.ToString());
    }

    [Fact]
    public void Decode_PlainBarAtThePitchBetweenCharacters_IsAnI()
    {
        // A Slovak I drawn as a plain bar, which the classifier surely takes for a frame's edge: as tall as the
        // characters and one pitch from the S, it is kept and the Slovak format makes it an I.
        PlateText text = DecodeRow(GrammarScope.Auto, ("S", 0, 18, 32), ("#:0.95,I:0.03", 30, 4, 32), ("8", 65, 18, 32),
            ("1", 92, 9, 32), ("9", 110, 18, 32), ("A", 133, 18, 32), ("K", 156, 18, 32));
        Assert.Equal("SI819AK", text.ToString());
        Assert.Equal("SK", text.Country.ToString());
    }

    [Fact]
    public void Decode_PlainBarAtThePitchAfterTheCharacters_IsAnI()
    {
        // The same bar at the end: twice the usual gap from the A's edge, but one pitch from its centre.
        PlateText text = DecodeRow(GrammarScope.Auto, ("R", 0, 21, 38), ("K", 28, 21, 38), ("7", 78, 21, 38), ("7", 107, 21, 38),
            ("6", 135, 21, 38), ("A", 164, 21, 38), ("#:0.99,I:0.005", 200, 4, 38));
        Assert.Equal("RK776AI", text.ToString());
    }

    [Theory]
    [InlineData(GrammarScope.UnitedStates, "0SG719")]   // US plates draw O and 0 alike, and are written with 0
    [InlineData(GrammarScope.Auto, "OSG719")]           // the same shape is a GB dateless plate's, with its O
    public void Decode_LetterOInAUsFormat_IsWrittenAsZeroOnlyInUsScope(GrammarScope scope, string expected)
    {
        PlateText text = Decode(scope, "0", "S", "G", "7", "1", "9");
        Assert.Equal(expected, text.ToString());
        Assert.Equal(PlateLayout.UnitedStates, text.Layout);
    }

    [Fact]
    public void Decode_UsAlternatingPlate_CorrectsTheLetterReadAsADigit()
    {
        // AB1C2D, the second commonest US shape in plates-dev: an A read as a doubtful 4 in a letter's place.
        PlateText text = Decode(GrammarScope.Auto, "4:0.53,A:0.25", "G", "0", "R", "6", "T");
        Assert.Equal("AG0R6T", text.ToString());
        Assert.Equal(PlateLayout.UnitedStates, text.Layout);
    }

    [Fact]
    public void Decode_ReadThatFitsNothing_KeepsTheClassifiersLookAlike()
    {
        // A 0 narrowly ahead of a D where no format says which: the raw read keeps the 0 the classifier read.
        PlateText text = Decode(GrammarScope.Auto, "C", "E", "M", "E", "N", "T", "0:0.45,D:0.4");
        Assert.Equal("CEMENT0", text.ToString());
        Assert.False(text.MatchesGrammar);
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
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int i = 0; i < 500; i++) grammar.Decode(reads, ref text);
        }));
    }

    [Fact]
    public void Decode_SureNoiseBoxes_DoNotUseUpTheDropsAFormatMayMake()
    {
        // A Slovak plate cut with its band's two boxes before it and a frame's edge after it, its last O read as a
        // sure 0: the three boxes surely not characters are left out whatever the format, so the Slovak format
        // still fits (seven of ten positions) and corrects the 0 it needs as a letter.
        PlateText text = Decode(GrammarScope.Europe, "#:0.99", "#:0.98", "R", "K", "5", "5", "0", "A", "0:0.97", "#:0.99");
        Assert.Equal("RK550AO", text.ToString());
        Assert.True(text.MatchesGrammar);
        Assert.Equal("SK", text.Country.ToString());
    }
}
