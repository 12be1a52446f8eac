using EdgeAgent.Cli;
using EdgeAgent.Core.Configuration;
using EdgeAgent.Settings;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Tests;

public class SettingsTests
{
    [Fact]
    public void Split_SettingsAnywhere_AreSeparatedFromTheCommand()
    {
        var (command, settings) = SettingArguments.Split(["replay", "--Mqtt:Host=127.0.0.1", "video.mp4", "--Mqtt:Port", "1884", "--realtime"]);
        Assert.Equal(["replay", "video.mp4", "--realtime"], command);
        Assert.Equal(["--Mqtt:Host=127.0.0.1", "--Mqtt:Port=1884"], settings);
    }

    [Fact]
    public void Bind_CommandLineOverridesDefaults()
    {
        var configuration = SettingsLoader.Build(["--Mqtt:Port=1884", "--Camera:Profile=ip-720p-colour"]);
        AgentSettings settings = SettingsLoader.Bind(configuration);
        Assert.Equal(1884, settings.Mqtt.Port);
        Assert.Equal("ip-720p-colour", settings.Camera.Profile);
        Assert.Equal("Europe/London", settings.Privacy.TimeZone);
    }

    [Fact]
    public void Bind_UnknownKeyAndBadNumber_AreBothReported()
    {
        var configuration = SettingsLoader.Build(["--Camera:Sorce=x", "--Mqtt:Port=lots"]);
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsLoader.Bind(configuration));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("Camera:Sorce is not a setting", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Mqtt:Port is 'lots'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ConfigFileThatIsNotJson_SaysSo()
    {
        using var dir = new TempDirectory();
        string file = dir.File("settings.json");
        File.WriteAllText(file, "{ \"Mqtt\": { \"Port\": ");
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsLoader.Build([], file));
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RunWithoutRequiredSettings_ListsEachWithItsFix()
    {
        var settings = SettingsLoader.Bind(SettingsLoader.Build([]));
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsValidator.Validate(settings, AgentMode.Run, RepoPaths.HardwareProfiles));
        Assert.Contains(e.Problems, p => p.Contains("Camera:Source", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("Mqtt:Host", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("Storage:Path", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("keys init", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReplayWithNoSettings_IsAccepted()
    {
        var settings = SettingsLoader.Bind(SettingsLoader.Build([]));
        var profile = SettingsValidator.Validate(settings, AgentMode.Replay, RepoPaths.HardwareProfiles);
        Assert.Equal("anpr-1080p-ir", profile.Name);
    }

    [Theory]
    [InlineData("--Mqtt:Site=a/b", "Mqtt:Site")]
    [InlineData("--Mqtt:CameraId=#", "Mqtt:CameraId")]
    [InlineData("--Privacy:TimeZone=Mars/Olympus", "Privacy:TimeZone")]
    [InlineData("--Ocr:Grammar=fr", "Ocr:Grammar")]
    [InlineData("--Camera:Profile=nope", "Camera:Profile")]
    [InlineData("--Tracking:MinConfidence=2", "Tracking:MinConfidence")]
    [InlineData("--Finder:FullSearchEveryFrames=0", "Finder:FullSearchEveryFrames")]
    public void Validate_BadValue_NamesTheSetting(string argument, string key)
    {
        var settings = SettingsLoader.Bind(SettingsLoader.Build([argument]));
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsValidator.Validate(settings, AgentMode.Replay, RepoPaths.HardwareProfiles));
        Assert.Contains(e.Problems, p => p.Contains(key, StringComparison.Ordinal));
    }
}
