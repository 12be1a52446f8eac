using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

[Trait("Category", "Integration")]
public class BadInputTests
{
    [Fact]
    public async Task Replay_CorruptVideo_ExitsWithSourceFailedAndNamesTheFile()
    {
        using var dir = new TempDirectory();
        string video = dir.File("broken.mp4");
        await File.WriteAllBytesAsync(video, Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7 % 253)).ToArray());
        AgentRun run = await AgentProcess.RunAsync(["replay", video, $"--Storage:Path={dir.File("outbox.db")}"], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("broken.mp4 could not be decoded", run.Output + run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingVideo_ExitsWithSourceFailed()
    {
        using var dir = new TempDirectory();
        AgentRun run = await AgentProcess.RunAsync(["replay", dir.File("nope.mp4"), $"--Storage:Path={dir.File("outbox.db")}"], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("does not exist", run.Output + run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_VideoOfAnotherSizeThanTheProfile_SaysWhichProfileToChoose()
    {
        using var dir = new TempDirectory();
        AgentRun run = await AgentProcess.RunAsync(
            ["replay", SampleTruth.BundledSample, "--Camera:Profile=ip-720p-colour", $"--Storage:Path={dir.File("outbox.db")}"], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("--Camera:Profile", run.Output + run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithoutSettings_ListsEveryMissingSettingAndExits2()
    {
        using var dir = new TempDirectory();
        AgentRun run = await AgentProcess.RunAsync(["run"], TimeSpan.FromMinutes(1), workingDirectory: dir.Path);
        Assert.True(run.ExitCode == 2, run.ToString());
        foreach (string key in new[] { "Camera:Source", "Mqtt:Host", "Storage:Path", "Privacy:KeyFile" })
            Assert.Contains(key, run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MisspelledSettingAndBadPort_AreBothReported()
    {
        using var dir = new TempDirectory();
        AgentRun run = await AgentProcess.RunAsync(["replay", SampleTruth.BundledSample, "--Mqtt:Hots=x", "--Mqtt:Port=abc"], TimeSpan.FromMinutes(1),
            workingDirectory: dir.Path);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Mqtt:Hots is not a setting", run.Errors, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Port is 'abc'", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_SettingFromEnvironment_IsApplied()
    {
        using var dir = new TempDirectory();
        AgentRun run = await AgentProcess.RunAsync(["replay", SampleTruth.BundledSample], TimeSpan.FromMinutes(1), workingDirectory: dir.Path,
            environment: new Dictionary<string, string> { ["EDGEAGENT_Mqtt__Port"] = "70000" });
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Mqtt:Port is 70000", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KeyFileOpenToOthers_RefusesToStartWithTheFix()
    {
        using var dir = new TempDirectory();
        string key = dir.File("unit.key");
        EdgeAgent.Privacy.Keys.UnitSecret.Create(key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        AgentRun run = await AgentProcess.RunAsync(
            ["run", $"--Camera:Source={SampleTruth.BundledSample}", "--Mqtt:Host=127.0.0.1", $"--Storage:Path={dir.File("o.db")}", $"--Privacy:KeyFile={key}"],
            TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"chmod 600 {key}", run.Errors, StringComparison.Ordinal);
    }
}
