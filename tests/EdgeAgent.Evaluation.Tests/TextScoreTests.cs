using EdgeAgent.Evaluation.Scoring;

namespace EdgeAgent.Evaluation.Tests;

public class TextScoreTests
{
    [Theory]
    [InlineData("ab12 cde", "AB12CDE")]
    [InlineData(" A-B 1.2\tC ", "AB12C")]
    [InlineData(null, "")]
    public void Normalize_SpacesCaseAndPunctuation_AreIgnored(string? raw, string expected) =>
        Assert.Equal(expected, TextScore.Normalize(raw));

    [Theory]
    [InlineData("AB12CDE", "AB12CDE", 0)]
    [InlineData("AB12CDF", "AB12CDE", 1)]   // substitution
    [InlineData("AB12CD", "AB12CDE", 1)]    // deletion
    [InlineData("XAB12CDE", "AB12CDE", 1)]  // insertion
    [InlineData("", "AB12CDE", 7)]
    [InlineData("KITTEN", "SITTING", 3)]
    public void EditDistance_KnownPairs(string a, string b, int expected) => Assert.Equal(expected, TextScore.EditDistance(a, b));

    [Fact]
    public void EditDistance_IsSymmetricAndBoundedByTheLongerText()
    {
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            string a = Random(rng), b = Random(rng);
            int d = TextScore.EditDistance(a, b);
            Assert.Equal(d, TextScore.EditDistance(b, a));
            Assert.InRange(d, Math.Abs(a.Length - b.Length), Math.Max(a.Length, b.Length));
        }
    }

    [Theory]
    [InlineData("AB12CDE", "ab12 cde", 1.0)]
    [InlineData("AB12CDF", "AB12CDE", 1 - (1 / 7.0))]
    [InlineData(null, "AB12CDE", 0.0)]
    [InlineData("XXXXXXXXXXXXXX", "AB12CDE", 0.0)]   // floored at 0
    public void CharAccuracy_IsOneMinusDistanceOverLabelLength(string? read, string label, double expected) =>
        Assert.Equal(expected, TextScore.CharAccuracy(read, label), 6);

    [Fact]
    public void Exact_IgnoresSpacesAndCase_ButNotAMissingRead()
    {
        Assert.True(TextScore.Exact("ab12 cde", "AB12CDE"));
        Assert.False(TextScore.Exact(null, "AB12CDE"));
        Assert.False(TextScore.Exact("", ""));
    }

    [Fact]
    public void Edits_NameTheSubstitutedMissedAndExtraCharacters()
    {
        var edits = TextScore.Edits("AB12C0EX", "AB12CDE");
        Assert.Equal([('D', '0'), ('\0', 'X')], edits);
        Assert.Equal([('E', '\0')], TextScore.Edits("AB12CD", "AB12CDE"));
    }

    [Fact]
    public void ConfusionTally_CountsAndOrdersTheErrors()
    {
        var tally = new ConfusionTally();
        tally.Add("AB12C0E", "AB12CDE");
        tally.Add("0B12CDE", "OB12CDE");
        tally.Add("0B12CDE", "OB12CDE");
        tally.Add("AB12CD", "AB12CDE");
        Assert.Equal(3, tally.Substitutions);
        Assert.Equal(1, tally.Missed);
        Assert.Equal("O>0 x2, D>0 x1, -E x1", tally.Summary());
        Assert.Equal("none", new ConfusionTally().Summary());
    }

    private static string Random(Random rng)
    {
        const string alphabet = "AB018";
        return new string(Enumerable.Range(0, rng.Next(0, 9)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
    }
}
