using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Profiles;

namespace EdgeAgent.Core.Tests;

public class PrivacyMaskProfileTests
{
    private static string Profile(string masks) => $$"""
        { "name": "t", "width": 1920, "height": 1080, "fps": 25, "plateHeightPx": { "min": 30, "max": 120 },
          "privacyMasks": {{masks}} }
        """;

    [Fact]
    public void Parse_PrivacyMasks_KeepsEachPolygonInFramePixels()
    {
        HardwareProfile p = HardwareProfileLoader.Parse(Profile("""
            [ { "name": "left pavement", "points": [[0, 700], [380, 700], [200, 1080], [0, 1080]] },
              { "points": [[1500, 0], [1920, 0], [1920, 300]] } ]
            """), "t.json");
        Assert.Equal(2, p.PrivacyMasks.Count);
        Assert.Equal("left pavement", p.PrivacyMasks[0].Name);
        Assert.Equal((380f, 700f), p.PrivacyMasks[0].Points[1]);
        Assert.Equal("mask-2", p.PrivacyMasks[1].Name);
    }

    [Fact]
    public void Parse_NoMasks_IsAnEmptyList()
    {
        HardwareProfile p = HardwareProfileLoader.Parse("""{ "name": "t", "width": 1920, "height": 1080, "fps": 25, "plateHeightPx": { "min": 30, "max": 120 } }""", "t.json");
        Assert.Empty(p.PrivacyMasks);
    }

    [Fact]
    public void Parse_BadMasks_NamesEachOne()
    {
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Parse(Profile("""
            [ { "points": [[0, 0], [10, 10]] }, { "points": [[0, 0], [10], [5, 5]] }, { "points": [[0, 0], [2000, 0], [0, 50]] } ]
            """), "t.json"));
        Assert.Contains(e.Problems, p => p.Contains("privacyMasks[0]", StringComparison.Ordinal) && p.Contains("at least 3 points", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("privacyMasks[1]", StringComparison.Ordinal) && p.Contains("pairs", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("privacyMasks[2]", StringComparison.Ordinal) && p.Contains("outside", StringComparison.Ordinal));
    }
}
