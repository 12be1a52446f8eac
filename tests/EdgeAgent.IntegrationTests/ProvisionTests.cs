using System.Text.Json;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>edgeagent provision, the real process, into a temporary config folder.</summary>
public class ProvisionTests
{
    private static string[] Provision(TempDirectory dir, params string[] extra) => ProvisionTo(dir, "broker.example.org", extra);

    private static string[] ProvisionTo(TempDirectory dir, string broker, params string[] extra) =>
    [
        "provision", "--site", "pole-17", "--camera", "north", "--profile", "usb-v4l2-720p", "--broker", broker,
        "--config-dir", dir.File("etc"), "--data-dir", dir.File("data"), "--user", Environment.UserName, .. extra,
    ];

    [Fact, Trait("Category", "Integration")]
    public async Task Provision_FreshUnit_WritesSettingsProfileAndAnOwnerOnlySecret()
    {
        using var dir = new TempDirectory("edgeagent-provision");
        AgentRun run = await AgentProcess.RunAsync(Provision(dir, "--source", "/dev/video0"), TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Equal("0600", Shell.Octal(dir.File("etc/unit.key")));
        Assert.Equal("0640", Shell.Octal(dir.File("etc/appsettings.json")));
        Assert.Equal("0750", Shell.Octal(dir.File("etc")));
        using JsonDocument settings = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("etc/appsettings.json")));
        JsonElement r = settings.RootElement;
        Assert.Equal("pole-17", r.GetProperty("Mqtt").GetProperty("Site").GetString());
        Assert.Equal("north", r.GetProperty("Mqtt").GetProperty("CameraId").GetString());
        Assert.Equal("broker.example.org", r.GetProperty("Mqtt").GetProperty("Host").GetString());
        Assert.Equal(1883, r.GetProperty("Mqtt").GetProperty("Port").GetInt32());
        Assert.Equal("/dev/video0", r.GetProperty("Camera").GetProperty("Source").GetString());
        Assert.Equal(dir.File("etc/profile.json"), r.GetProperty("Camera").GetProperty("Profile").GetString());
        Assert.Equal(dir.File("data/outbox.db"), r.GetProperty("Storage").GetProperty("Path").GetString());
        Assert.Equal(dir.File("etc/unit.key"), r.GetProperty("Privacy").GetProperty("KeyFile").GetString());
        Assert.Contains("\"name\": \"usb-v4l2-720p\"", await File.ReadAllTextAsync(dir.File("etc/profile.json")), StringComparison.Ordinal);
    }

    [Fact, Trait("Category", "Integration")]
    public async Task Provision_Again_KeepsTheSecretAndOtherSettings_ForceReplacesIt()
    {
        using var dir = new TempDirectory("edgeagent-provision");
        Assert.Equal(0, (await AgentProcess.RunAsync(Provision(dir), TimeSpan.FromMinutes(1))).ExitCode);
        byte[] secret = await File.ReadAllBytesAsync(dir.File("etc/unit.key"));
        // A site's own tuning, added by hand, survives a re-provision.
        string tuned = (await File.ReadAllTextAsync(dir.File("etc/appsettings.json"))).Replace("\"Storage\"", "\"Tracking\": { \"MinObservations\": 4 },\n  \"Storage\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(dir.File("etc/appsettings.json"), tuned);

        AgentRun again = await AgentProcess.RunAsync(ProvisionTo(dir, "10.0.0.9:8883"), TimeSpan.FromMinutes(1));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("kept the unit secret", again.Output, StringComparison.Ordinal);
        Assert.Equal(secret, await File.ReadAllBytesAsync(dir.File("etc/unit.key")));
        string settings = await File.ReadAllTextAsync(dir.File("etc/appsettings.json"));
        Assert.Contains("\"MinObservations\": 4", settings, StringComparison.Ordinal);
        Assert.Contains("\"Port\": 8883", settings, StringComparison.Ordinal);

        AgentRun forced = await AgentProcess.RunAsync(Provision(dir, "--force"), TimeSpan.FromMinutes(1));
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("replaced the unit secret", forced.Output, StringComparison.Ordinal);
        Assert.NotEqual(secret, await File.ReadAllBytesAsync(dir.File("etc/unit.key")));
        Assert.Equal("0600", Shell.Octal(dir.File("etc/unit.key")));
    }

    [Fact, Trait("Category", "Integration")]
    public async Task Provision_DifferentAuthorityKey_IsRefusedWithoutForceAndNothingChanges()
    {
        using var dir = new TempDirectory("edgeagent-provision");
        Assert.Equal(0, (await AgentProcess.RunAsync(["policy", "keygen", "--out", dir.File("first")], TimeSpan.FromMinutes(1))).ExitCode);
        Assert.Equal(0, (await AgentProcess.RunAsync(["policy", "keygen", "--out", dir.File("second")], TimeSpan.FromMinutes(1))).ExitCode);
        Assert.Equal(0, (await AgentProcess.RunAsync(Provision(dir, "--authority", dir.File("first.pub")), TimeSpan.FromMinutes(1))).ExitCode);
        string settingsBefore = await File.ReadAllTextAsync(dir.File("etc/appsettings.json"));

        AgentRun refused = await AgentProcess.RunAsync(ProvisionTo(dir, "other:1883", "--authority", dir.File("second.pub")), TimeSpan.FromMinutes(1));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already holds a different authority key", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(dir.File("first.pub")), await File.ReadAllTextAsync(dir.File("etc/authority.pub.pem")));
        Assert.Equal(settingsBefore, await File.ReadAllTextAsync(dir.File("etc/appsettings.json")));

        AgentRun privateKey = await AgentProcess.RunAsync(Provision(dir, "--authority", dir.File("second.key"), "--force"), TimeSpan.FromMinutes(1));
        Assert.Equal(2, privateKey.ExitCode);
        Assert.Contains("PRIVATE key", privateKey.Errors, StringComparison.Ordinal);
    }

    [Fact, Trait("Category", "Integration")]
    public async Task Provision_BadInput_ListsEveryProblemAndWritesNothing()
    {
        using var dir = new TempDirectory("edgeagent-provision");
        AgentRun run = await AgentProcess.RunAsync(
        [
            "provision", "--site", "pole/17", "--camera", "north", "--profile", "no-such-camera", "--broker", "broker:99999",
            "--cert", dir.File("missing.pem"), "--config-dir", dir.File("etc"), "--data-dir", dir.File("data"),
        ], TimeSpan.FromMinutes(1));
        Assert.Equal(2, run.ExitCode);
        foreach (string problem in new[] { "--site 'pole/17'", "no-such-camera", "port '99999'", "--cert/--key need --ca", "missing.pem does not exist" })
            Assert.Contains(problem, run.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("etc")));
    }
}
