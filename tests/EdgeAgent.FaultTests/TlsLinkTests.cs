using EdgeAgent.TestSupport;

using Xunit.Abstractions;

namespace EdgeAgent.FaultTests;

[Trait("Category", "Integration")]
public sealed class TlsLinkTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "pw-7f3a9c-never-logged";
    private readonly FaultRig _rig = new(output);
    private readonly OpensslPki _pki = new();

    public void Dispose()
    {
        _pki.Dispose();
        _rig.Dispose();
    }

    private IEnumerable<string> Tls(MosquittoBroker broker)
    {
        string passwordFile = Path.Combine(_rig.Folder, "mqtt.password");
        File.WriteAllText(passwordFile, Password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return
        [
            .. _rig.Settings(broker, port: broker.TlsPort), $"--Mqtt:TlsCaFile={_pki.CaFile}",
            $"--Mqtt:TlsCertFile={_pki.ClientCert}", $"--Mqtt:TlsKeyFile={_pki.ClientKey}",
            "--Mqtt:Username=unit-0001", $"--Mqtt:PasswordFile={passwordFile}",
        ];
    }

    [Fact]
    public async Task Replay_TlsWithClientCertificate_ReadsArriveAndNoSecretIsLogged()
    {
        string clip = await FaultVideos.FourPassesAsync();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = _pki.Broker() });
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");   // the backend, on the plain listener

        var run = await AgentProcess.RunAsync(["replay", clip, "--drain-timeout", "60", .. Tls(broker)], TimeSpan.FromMinutes(5), _rig.Folder);
        var messages = await capture.WaitForAsync(all => all.Any(m => m.Text.Contains("\"stopped\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));

        int reads = FaultRig.Reads(messages).Count();
        _rig.Figure($"TLS with client certificate (openssl PKI, require_certificate): exit {run.ExitCode}, {reads} reads delivered over TLS in {run.Elapsed.TotalSeconds:0.0} s");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(reads > 0, run.ToString());
        Assert.Contains("TLS True", run.Errors + run.Output, StringComparison.Ordinal);
        Assert.Contains("u'unit-0001'", broker.Log, StringComparison.Ordinal);   // mosquitto logs the user of the TLS connection
        foreach (string secret in new[] { Password, File.ReadAllLines(_pki.ClientKey)[1] })
        {
            Assert.DoesNotContain(secret, run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, run.Errors, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Replay_BrokerCertificateFromAnotherCa_IsRefusedAndNothingIsSentInPlainText()
    {
        string clip = await FaultVideos.FourPassesAsync();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = _pki.Broker(rogue: true) });
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");

        var run = await AgentProcess.RunAsync(["replay", clip, "--drain-timeout", "15", .. Tls(broker)], TimeSpan.FromMinutes(5), _rig.Folder);
        await Task.Delay(500);

        var rows = OutboxFile.Rows(_rig.OutboxPath);
        _rig.Figure($"TLS impostor broker: exit {run.ExitCode} (4 = not drained), {rows.Count} reads kept unsent in the outbox, " +
                    $"{FaultRig.Reads(capture.Messages).Count()} reached the broker");
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("certificate verify failed", run.Errors + run.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(FaultRig.Reads(capture.Messages));
        Assert.DoesNotContain("as edgeagent-fault-site-fault-cam", broker.Log, StringComparison.Ordinal);   // no MQTT CONNECT got through
        Assert.All(rows, r => Assert.Null(r.DeliveredAt));
        Assert.DoesNotContain(Password, run.Output + run.Errors, StringComparison.Ordinal);
    }
}
