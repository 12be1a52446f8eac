using System.Collections.Concurrent;
using System.Text;

using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Demo;

/// <summary>
/// What a backend would see: subscribes to anpr/v1/# and prints every message as it arrives, counting the
/// distinct read ids (a retry may deliver a read twice, with the same id).
/// </summary>
public sealed class BackendPrinter : IAsyncDisposable
{
    private readonly MosquittoClient _client;
    private readonly TextWriter _output;
    private readonly ConcurrentDictionary<string, byte> _readIds = new(StringComparer.Ordinal);
    private long _messages;

    private BackendPrinter(MosquittoClient client, TextWriter output)
    {
        _client = client;
        _output = output;
        _client.MessageReceived += (_, e) => Print(e);
    }

    public int DistinctReads => _readIds.Count;
    public long Messages => Interlocked.Read(ref _messages);

    public static async Task<BackendPrinter> StartAsync(string host, int port, TextWriter output, CancellationToken cancellation)
    {
        var client = new MosquittoClient(new MosquittoClientOptions { Host = host, Port = port, ClientId = $"edgeagent-demo-backend-{Environment.ProcessId}" });
        var printer = new BackendPrinter(client, output);
        await client.ConnectAsync(cancellation).ConfigureAwait(false);
        await client.SubscribeAsync("anpr/v1/#", 1, cancellation).ConfigureAwait(false);
        return printer;
    }

    private void Print(MqttMessageEventArgs e)
    {
        Interlocked.Increment(ref _messages);
        string payload = Encoding.UTF8.GetString(e.Payload.Span);
        if (e.Topic.EndsWith("/read", StringComparison.Ordinal) && ReadId(payload) is { } id) _readIds.TryAdd(id, 0);
        lock (_output) _output.WriteLine($"backend <- {e.Topic}{(e.Retain ? " (retained)" : "")} {payload}");
    }

    private static string? ReadId(string payload)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(payload);
            return doc.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
    }
}
