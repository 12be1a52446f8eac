using System.Text.Json;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.TestSupport;
using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Transport.Tests;

/// <summary>A forwarder running in the background of a test, stopped (gracefully) on dispose.</summary>
internal sealed class ForwarderHarness : IAsyncDisposable
{
    public static readonly Topics Topic = new("site-a", "cam-1");
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _stop = new();

    private ForwarderHarness(ReadForwarder forwarder)
    {
        Forwarder = forwarder;
        Run = Task.Run(() => forwarder.RunAsync(_stop.Token));
    }

    public ReadForwarder Forwarder { get; }
    public Task Run { get; }

    public static ForwarderHarness Start(IOutbox outbox, MosquittoClientOptions mqtt, ReadForwarderOptions? options = null, TimeProvider? time = null) =>
        new(new ReadForwarder(outbox, Topic, mqtt, options ?? new ReadForwarderOptions { AgentVersion = "1.2.3", Profile = "anpr-1080p-ir" }, time));

    /// <summary>Polls the forwarder's status (it has no event for this); a wait with a deadline, not a sleep.</summary>
    public async Task WaitUntilAsync(Func<ForwarderStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition(Forwarder.Status))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Forwarder never {what}: {Forwarder.Status}");
            await Task.Delay(20);
        }
    }

    /// <summary>Cancels RunAsync and waits for its graceful stop.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(Wait);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            await Forwarder.DisposeAsync();
            _stop.Dispose();
        }
    }

    public static string Id(CapturedMessage m)
    {
        using var doc = m.Json();
        return doc.RootElement.GetProperty(ReadFields.Id).GetString()!;
    }

    public static bool Historical(CapturedMessage m)
    {
        using var doc = m.Json();
        return doc.RootElement.GetProperty(ReadFields.Historical).GetBoolean();
    }

    public static string State(CapturedMessage m)
    {
        using var doc = m.Json();
        return doc.RootElement.GetProperty("state").GetString()!;
    }

    public static JsonElement Root(CapturedMessage m) => JsonDocument.Parse(m.Payload).RootElement;
}
