using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Profiles;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Core.Tests;

public class HardwareProfileTests
{
    [Fact]
    public void Load_EveryShippedProfile_IsValid()
    {
        string[] files = Directory.GetFiles(RepoPaths.HardwareProfiles, "*.json");
        Assert.True(files.Length >= 2, "at least two hardware profiles ship with the agent");
        foreach (string file in files)
        {
            HardwareProfile profile = HardwareProfileLoader.Load(file, RepoPaths.HardwareProfiles);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), profile.Name);
            Assert.NotEmpty(profile.Lanes);
        }
    }

    [Fact]
    public void Load_UnknownName_ListsTheKnownProfiles()
    {
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Load("no-such-camera", RepoPaths.HardwareProfiles));
        Assert.Contains("no-such-camera", e.Message, StringComparison.Ordinal);
        Assert.Contains("anpr-1080p-ir", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenJson_NamesTheLine()
    {
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Parse("{\n \"name\": \"x\",\n \"width\": ,\n}", "test.json"));
        Assert.Contains("not valid JSON at line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEachWithItsField()
    {
        const string json = """
            { "name": "", "width": 1920, "height": 1080, "fps": 0,
              "plateHeightPx": { "min": 50, "max": 40 },
              "roi": { "x": 100, "y": 0, "width": 1900, "height": 1080 },
              "lanes": [ { "name": "1", "direction": "", "xMin": 0, "xMax": 3000 } ] }
            """;
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Parse(json, "bad.json"));
        Assert.Contains(e.Problems, p => p.Contains("'name'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'fps'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'plateHeightPx'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'roi'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'lanes[0].direction'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'lanes[0]' spans", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MisspelledField_IsRefusedNotIgnored()
    {
        const string json = """{ "name": "x", "width": 1920, "height": 1080, "fps": 25, "plateHeigthPx": { "min": 40, "max": 90 } }""";
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Parse(json, "typo.json"));
        Assert.Contains("plateHeigthPx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LaneAt_PositionInSecondLane_ReturnsSecondLane()
    {
        HardwareProfile profile = HardwareProfileLoader.Load("anpr-1080p-ir", RepoPaths.HardwareProfiles);
        Assert.Equal("1", profile.LaneAt(100).Name);
        Assert.Equal("2", profile.LaneAt(1500).Name);
    }
}
