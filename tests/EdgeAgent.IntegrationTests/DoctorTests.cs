using System.Diagnostics;
using System.Globalization;
using System.Text;

using EdgeAgent.Platform.Serial;
using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// edgeagent doctor, the real process, on a provisioned unit: the bundled sample video as its camera, a real
/// mosquitto as its broker, a loop detector and a GPS receiver on socat ptys, a signed sharing policy.
/// </summary>
public class DoctorTests
{
    [Fact, Trait("Category", "Integration")]
    public async Task Doctor_SampleVideoAndLocalBroker_PassesEveryCheck_BrokerStopped_FailsThatLineWithAFix()
    {
        using var dir = new TempDirectory("edgeagent-doctor");
        await using var broker = await MosquittoBroker.StartAsync();
        using var trigger = SocatPtyPair.Start();
        using var gps = SocatPtyPair.Start();
        string config = await ProvisionAsync(dir, broker.Port, trigger.AgentEnd, gps.AgentEnd);
        using var stop = new CancellationTokenSource();
        Task devices = Task.Run(() => PlayDevices(trigger.DeviceEnd, gps.DeviceEnd, stop.Token));
        try
        {
            AgentRun healthy = await Doctor(config);
            Assert.True(healthy.ExitCode == 0, healthy.ToString());
            string[] lines = Lines(healthy);
            Assert.Equal(9, lines.Count(l => l.StartsWith("PASS ", StringComparison.Ordinal)));
            Assert.DoesNotContain(lines, l => l.StartsWith("FAIL ", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("PASS camera ", StringComparison.Ordinal) && l.Contains("1920x1080 at 25.0 fps", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"PASS broker            127.0.0.1:{broker.Port} accepted", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("PASS policy signature  ", StringComparison.Ordinal) && l.Contains("version 1 signed by authority key", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("PASS serial devices", StringComparison.Ordinal) && l.Contains("gps", StringComparison.Ordinal) && l.Contains("fix at 51.50136,-0.14189", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("PASS clock sync", StringComparison.Ordinal));
            Assert.EndsWith("doctor: 9 passed, 0 failed, 0 skipped", lines[^1], StringComparison.Ordinal);

            await broker.StopAsync();
            AgentRun brokerDown = await Doctor(config, "--skip", "serial");
            Assert.Equal(6, brokerDown.ExitCode);
            string[] after = Lines(brokerDown);
            string brokerLine = Assert.Single(after, l => l.Contains(" broker ", StringComparison.Ordinal) || l.StartsWith("FAIL broker", StringComparison.Ordinal));
            Assert.StartsWith($"FAIL broker            127.0.0.1:{broker.Port} is not reachable", brokerLine, StringComparison.Ordinal);
            Assert.Contains("; fix: start the broker", brokerLine, StringComparison.Ordinal);
            Assert.Contains(after, l => l.StartsWith("SKIP serial devices", StringComparison.Ordinal));
            Assert.Equal(1, after.Count(l => l.StartsWith("FAIL ", StringComparison.Ordinal)));
            Assert.EndsWith("doctor: 7 passed, 1 failed, 1 skipped: fix the FAIL lines and run it again", after[^1], StringComparison.Ordinal);
        }
        finally
        {
            stop.Cancel();
            await devices;
        }
    }

    [Fact, Trait("Category", "Integration")]
    public async Task Doctor_TamperedPolicyOpenKeyMissingCamera_FailEachWithItsFix()
    {
        using var dir = new TempDirectory("edgeagent-doctor");
        await using var broker = await MosquittoBroker.StartAsync();
        string config = await ProvisionAsync(dir, broker.Port, null, null, source: dir.File("no-such-video.mp4"));
        string policy = dir.File("etc/policy.json");
        File.SetUnixFileMode(policy, (UnixFileMode)0b110_100_000);
        await File.WriteAllTextAsync(policy, (await File.ReadAllTextAsync(policy)).Replace("\"site\",", "\"site\", \"lane\",", StringComparison.Ordinal));
        File.SetUnixFileMode(dir.File("etc/unit.key"), (UnixFileMode)0b110_100_100);

        AgentRun run = await Doctor(config, "--skip", "clock");
        Assert.True(run.ExitCode == 6, run.ToString());
        string[] lines = Lines(run);
        Assert.True(lines.Any(l => l.StartsWith("FAIL policy signature", StringComparison.Ordinal) && l.Contains("fix: install a policy signed by the authority", StringComparison.Ordinal)), run.ToString());
        Assert.Contains(lines, l => l.StartsWith("FAIL key permissions", StringComparison.Ordinal) && l.Contains("mode 0644", StringComparison.Ordinal)
                                    && l.Contains($"fix: chmod 600 {dir.File("etc/unit.key")}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FAIL camera", StringComparison.Ordinal) && l.Contains("fix: check the path", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PASS broker", StringComparison.Ordinal));
    }

    [Fact, Trait("Category", "Integration")]
    public async Task Doctor_TlsBrokerWithClientCertificate_ConnectsAsTheUnit_ProvisionRefusesAnotherKey()
    {
        using var dir = new TempDirectory("edgeagent-doctor");
        using var pki = new FaultTests.OpensslPki();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = pki.Broker() });
        string[] provision =
        [
            "provision", "--site", "pole-17", "--camera", "north", "--profile", "anpr-1080p-ir", "--broker", $"127.0.0.1:{broker.TlsPort}",
            "--source", SampleTruth.BundledSample, "--ca", pki.CaFile, "--cert", pki.ClientCert, "--key", pki.ClientKey,
            "--config-dir", dir.File("etc"), "--data-dir", dir.File("data"), "--user", Environment.UserName,
        ];
        AgentRun provisioned = await AgentProcess.RunAsync(provision, TimeSpan.FromMinutes(1));
        Assert.True(provisioned.ExitCode == 0, provisioned.ToString());
        Assert.Equal("0600", Shell.Octal(dir.File("etc/tls/client.key")));

        AgentRun run = await Doctor(dir.File("etc/appsettings.json"), "--skip", "camera", "--skip", "clock");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"PASS broker            127.0.0.1:{broker.TlsPort} accepted the connection (TLS, server verified, client certificate)", run.Output, StringComparison.Ordinal);
        Assert.Contains("TLS client key 0600", run.Output, StringComparison.Ordinal);

        // Another key for this unit is a replaced secret: refused without --force, the installed one untouched.
        using var other = new FaultTests.OpensslPki();
        byte[] installed = await File.ReadAllBytesAsync(dir.File("etc/tls/client.key"));
        string[] again = [.. provision];
        again[Array.IndexOf(again, "--key") + 1] = other.ClientKey;
        again[Array.IndexOf(again, "--cert") + 1] = other.ClientCert;
        again[Array.IndexOf(again, "--ca") + 1] = other.CaFile;
        AgentRun refused = await AgentProcess.RunAsync(again, TimeSpan.FromMinutes(1));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already holds a different TLS client key", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(installed, await File.ReadAllBytesAsync(dir.File("etc/tls/client.key")));
    }

    private static Task<AgentRun> Doctor(string config, params string[] extra) =>
        AgentProcess.RunAsync(["doctor", "--config", config, "--user", Environment.UserName, .. extra], TimeSpan.FromMinutes(2));

    private static string[] Lines(AgentRun run) =>
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // A unit as a field engineer leaves it: provisioned with a profile naming the serial devices, the
    // authority's public key and a policy it signed.
    private static async Task<string> ProvisionAsync(TempDirectory dir, int brokerPort, string? triggerDevice, string? gpsDevice, string? source = null)
    {
        string profile = dir.File("profile.json");
        string shipped = await File.ReadAllTextAsync(Path.Combine(RepoPaths.HardwareProfiles, "anpr-1080p-ir.json"));
        string serial = triggerDevice is null ? "" : $$"""
            , "serial": { "trigger": { "device": "{{triggerDevice}}" }, "gps": { "device": "{{gpsDevice}}" } }
            """;
        await File.WriteAllTextAsync(profile, shipped[..shipped.LastIndexOf('}')].TrimEnd() + serial + "\n}\n");
        Assert.Equal(0, (await AgentProcess.RunAsync(["policy", "keygen", "--out", dir.File("authority")], TimeSpan.FromMinutes(1))).ExitCode);
        await File.WriteAllTextAsync(dir.File("policy.in.json"), """
            { "format": "edgeagent-policy/1", "version": 1, "issuer": "test authority",
              "recipients": [ { "name": "charging", "topic_root": "anpr/v1/{site}/{camera}",
                                "fields": ["plate_hash", "key_id", "time", "site", "camera"] } ] }
            """);
        AgentRun sign = await AgentProcess.RunAsync(["policy", "sign", "--key", dir.File("authority.key"), "--in", dir.File("policy.in.json"),
            "--out", dir.File("policy.signed.json")], TimeSpan.FromMinutes(1));
        Assert.True(sign.ExitCode == 0, sign.ToString());
        AgentRun provision = await AgentProcess.RunAsync(
        [
            "provision", "--site", "pole-17", "--camera", "north", "--profile", profile, "--broker", $"127.0.0.1:{brokerPort}",
            "--source", source ?? SampleTruth.BundledSample, "--authority", dir.File("authority.pub"), "--policy", dir.File("policy.signed.json"),
            "--config-dir", dir.File("etc"), "--data-dir", dir.File("data"), "--user", Environment.UserName,
        ], TimeSpan.FromMinutes(1));
        Assert.True(provision.ExitCode == 0, provision.ToString());
        return dir.File("etc/appsettings.json");
    }

    // The GPS sends GGA and RMC twice a second with the current time; the loop detector a vehicle a second.
    private static void PlayDevices(string triggerEnd, string gpsEnd, CancellationToken stop)
    {
        using var loop = SerialPort.Open(triggerEnd, 9600, TimeSpan.FromMilliseconds(100));
        using var receiver = SerialPort.Open(gpsEnd, 9600, TimeSpan.FromMilliseconds(100));
        int tick = 0;
        while (!stop.IsCancellationRequested)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            try
            {
                receiver.Write(Encoding.ASCII.GetBytes(Sentence(string.Create(CultureInfo.InvariantCulture,
                    $"GNGGA,{now:HHmmss.ff},5130.08184,N,00008.51340,W,1,11,0.8,21.0,M,45.0,M,,")) + "\r\n" +
                    Sentence(string.Create(CultureInfo.InvariantCulture, $"GNRMC,{now:HHmmss.ff},A,5130.08184,N,00008.51340,W,0.01,,{now:ddMMyy},,,A")) + "\r\n"));
                if (tick++ % 2 == 0) loop.Write("VEH,1\r\n"u8);
            }
            catch (SerialPortException)
            {
                // The agent's side may close and reopen between doctor runs; keep playing.
            }
            stop.WaitHandle.WaitOne(500);
        }
    }

    private static string Sentence(string body)
    {
        byte sum = 0;
        foreach (char c in body) sum ^= (byte)c;
        return string.Create(CultureInfo.InvariantCulture, $"${body}*{sum:X2}");
    }
}
