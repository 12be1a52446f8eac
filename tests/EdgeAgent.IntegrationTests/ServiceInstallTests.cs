using System.Diagnostics;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// deploy/install-service.sh (what install.sh --service runs) into a temporary root: the folders, modes,
/// secret and unit it writes; a re-run that changes nothing; the explanation where systemd does not run;
/// the unit checked by systemd's own verifier; an agent that runs from what was installed; uninstall
/// keeping or purging the data.
/// </summary>
public class ServiceInstallTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "deploy", "install-service.sh");

    [Fact, Trait("Category", "Integration")]
    public async Task InstallService_TemporaryRoot_WritesOwnerOnlySecretsAUnitAndIsSafeToRerun()
    {
        using var dir = new TempDirectory("edgeagent-root");
        string root = Path.Combine(dir.Path, "root");
        string bin = Shell.AgentCommandFolder(dir);
        var env = Environment(root);

        AgentRun first = await Shell.RunAsync(Script, ["install", bin, Shell.AgentAppFolder], env, TimeSpan.FromMinutes(2));
        Assert.True(first.ExitCode == 0, first.ToString());

        string etc = Path.Combine(root, "etc", "edgeagent");
        string unit = Path.Combine(root, "etc", "systemd", "system", "edgeagent.service");
        Assert.Equal("0750", Shell.Octal(etc));
        Assert.Equal("0750", Shell.Octal(Path.Combine(root, "var", "lib", "edgeagent")));
        Assert.Equal("0640", Shell.Octal(Path.Combine(etc, "appsettings.json")));
        Assert.Equal("0640", Shell.Octal(Path.Combine(etc, "profile.json")));
        Assert.Equal("0600", Shell.Octal(Path.Combine(etc, "unit.key")));
        string unitText = await File.ReadAllTextAsync(unit);
        Assert.Contains($"ExecStart={bin}/edgeagent run --config /etc/edgeagent/appsettings.json", unitText, StringComparison.Ordinal);
        Assert.Contains("Restart=always", unitText, StringComparison.Ordinal);
        Assert.Contains($"User={System.Environment.UserName}", unitText, StringComparison.Ordinal);
        Assert.Contains("ReadWritePaths=/var/lib/edgeagent", unitText, StringComparison.Ordinal);

        // Where systemd does not run (this machine, CI containers) it says so, and how to run the agent instead.
        if (!Directory.Exists("/run/systemd/system"))
        {
            Assert.Contains("could not enable the service: systemd is not running here", first.Output, StringComparison.Ordinal);
            Assert.Contains("edgeagent run --config /etc/edgeagent/appsettings.json", first.Output, StringComparison.Ordinal);
        }
        Assert.Contains("next: edgeagent provision", first.Output, StringComparison.Ordinal);

        // systemd's own checker accepts the unit (keys, sections, the ExecStart binary).
        AgentRun verify = await Run("systemd-analyze", ["verify", unit]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        // A re-run changes nothing: no file rewritten, the same secret.
        var before = Snapshot(root);
        AgentRun again = await Shell.RunAsync(Script, ["install", bin, Shell.AgentAppFolder], env, TimeSpan.FromMinutes(2));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("wrote", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("made the unit secret", again.Output, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(root));
    }

    [Fact, Trait("Category", "Integration")]
    public async Task InstalledAgent_Provisioned_RunsAndStopsCleanly()
    {
        using var dir = new TempDirectory("edgeagent-root");
        string root = Path.Combine(dir.Path, "root");
        string bin = Shell.AgentCommandFolder(dir);
        AgentRun install = await Shell.RunAsync(Script, ["install", bin, Shell.AgentAppFolder], Environment(root), TimeSpan.FromMinutes(2));
        Assert.True(install.ExitCode == 0, install.ToString());
        string etc = Path.Combine(root, "etc", "edgeagent");
        string keyId = (await Run(Path.Combine(bin, "edgeagent"), ["keys", "id", "--key", Path.Combine(etc, "unit.key")])).Output.Trim();

        await using var broker = await MosquittoBroker.StartAsync();
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");
        AgentRun provision = await Run(Path.Combine(bin, "edgeagent"),
        [
            "provision", "--site", "pole-17", "--camera", "north", "--profile", "anpr-1080p-ir", "--broker", $"127.0.0.1:{broker.Port}",
            "--source", SampleTruth.BundledSample, "--config-dir", etc, "--data-dir", Path.Combine(root, "var", "lib", "edgeagent"),
            "--user", System.Environment.UserName,
        ]);
        Assert.True(provision.ExitCode == 0, provision.ToString());
        Assert.Contains($"kept the unit secret {etc}/unit.key (key id {keyId})", provision.Output, StringComparison.Ordinal);

        // What the unit's ExecStart runs, with the provisioned settings: online, reads, then an orderly stop on SIGTERM.
        var start = new ProcessStartInfo(Path.Combine(bin, "edgeagent"), ["run", "--config", Path.Combine(etc, "appsettings.json")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using Process agent = Process.Start(start)!;
        agent.OutputDataReceived += (_, _) => { };
        agent.ErrorDataReceived += (_, _) => { };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            await capture.WaitForMessageAsync(m => m.Topic == "anpr/v1/pole-17/north/read", TimeSpan.FromSeconds(90));
        }
        finally
        {
            Signals.Terminate(agent.Id);
            await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(0, agent.ExitCode);
        await capture.WaitForMessageAsync(m => m.Topic == "anpr/v1/pole-17/north/status" && m.Text.Contains("stopped", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
    }

    [Fact, Trait("Category", "Integration")]
    public async Task Uninstall_KeepsSettingsKeysAndDataUnlessPurged()
    {
        using var dir = new TempDirectory("edgeagent-root");
        string root = Path.Combine(dir.Path, "root");
        string bin = Shell.AgentCommandFolder(dir);
        var env = Environment(root);
        Assert.Equal(0, (await Shell.RunAsync(Script, ["install", bin, Shell.AgentAppFolder], env, TimeSpan.FromMinutes(2))).ExitCode);
        string unit = Path.Combine(root, "etc", "systemd", "system", "edgeagent.service");
        string key = Path.Combine(root, "etc", "edgeagent", "unit.key");
        await File.WriteAllTextAsync(Path.Combine(root, "var", "lib", "edgeagent", "outbox.db"), "reads");

        AgentRun keep = await Shell.RunAsync(Script, ["uninstall"], env, TimeSpan.FromMinutes(1));
        Assert.True(keep.ExitCode == 0, keep.ToString());
        Assert.False(File.Exists(unit));
        Assert.True(File.Exists(key));
        Assert.True(File.Exists(Path.Combine(root, "var", "lib", "edgeagent", "outbox.db")));
        Assert.Contains("add --purge to remove them", keep.Output, StringComparison.Ordinal);

        AgentRun purge = await Shell.RunAsync(Script, ["uninstall", "--purge"], env, TimeSpan.FromMinutes(1));
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "edgeagent")));
        Assert.False(Directory.Exists(Path.Combine(root, "var", "lib", "edgeagent")));
    }

    private static Dictionary<string, string> Environment(string root) => new()
    {
        ["EDGEAGENT_ROOT"] = root,
        ["EDGEAGENT_USER"] = System.Environment.UserName,
    };

    private static SortedDictionary<string, string> Snapshot(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            files[file] = $"{Shell.Octal(file)} {File.GetLastWriteTimeUtc(file):O} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)))}";
        return files;
    }

    private static async Task<AgentRun> Run(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task<string> output = p.StandardOutput.ReadToEndAsync(), errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return new AgentRun(p.ExitCode, await output, await errors, TimeSpan.Zero);
    }
}
