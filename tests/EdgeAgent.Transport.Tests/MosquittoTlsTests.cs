using EdgeAgent.TestSupport;
using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Transport.Tests;

[Trait("Category", "Integration")]
public sealed class MosquittoTlsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly TestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task ConnectAsync_TlsWithTrustedCa_ConnectsAndGetsPuback()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = _pki.BrokerTls });
        await using var client = new MosquittoClient(broker.ClientOptions("tls-ok") with { Port = broker.TlsPort!.Value, Tls = new MqttTls(_pki.CaFile) });
        var acked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.PublishAcknowledged += (_, e) => acked.TrySetResult(e.ReasonCode);

        await client.ConnectAsync();
        client.Publish("t/tls", "sealed"u8);

        Assert.True(await acked.Task.WaitAsync(Wait) < 128);   // 16 (no subscribers) is a success too
    }

    [Fact]
    public async Task ConnectAsync_TlsToPlainListener_FailsAndNeverSpeaksPlainText()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = _pki.BrokerTls });
        await using var client = new MosquittoClient(broker.ClientOptions("tls-no-fallback") with { Tls = new MqttTls(_pki.CaFile), ConnectTimeout = TimeSpan.FromSeconds(5) });

        var e = await Assert.ThrowsAsync<BrokerRefusedException>(() => client.ConnectAsync());

        Assert.Contains($"{broker.Host}:{broker.Port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("OpenSSL", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("as tls-no-fallback", broker.Log, StringComparison.Ordinal);   // no MQTT CONNECT reached the plain listener
    }

    [Fact]
    public async Task ConnectAsync_ServerCertificateFromUntrustedCa_IsRefused()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = _pki.BrokerTls });
        await using var client = new MosquittoClient(broker.ClientOptions("tls-untrusted") with
        {
            Port = broker.TlsPort!.Value, Tls = new MqttTls(_pki.UntrustedCaFile), ConnectTimeout = TimeSpan.FromSeconds(5),
        });

        var e = await Assert.ThrowsAsync<BrokerRefusedException>(() => client.ConnectAsync());

        Assert.Contains($"{broker.Host}:{broker.TlsPort}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("as tls-untrusted", broker.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TlsCaFileMissing_ThrowsNamingTheFile()
    {
        var e = Assert.Throws<ArgumentException>(() => new MosquittoClient(new MosquittoClientOptions { Host = "127.0.0.1", Tls = new MqttTls("/nonexistent/ca.pem") }));
        Assert.Contains("/nonexistent/ca.pem", e.Message, StringComparison.Ordinal);
    }
}
