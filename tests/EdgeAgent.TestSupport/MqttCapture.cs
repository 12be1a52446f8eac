using System.Text;
using System.Text.Json;

using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.TestSupport;

/// <summary>One message as a subscriber saw it.</summary>
public sealed record CapturedMessage(string Topic, ReadOnlyMemory<byte> Payload, bool Retain)
{
    /// <summary>When the subscriber got it (rates and ordering in fault tests).</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    public string Text => Encoding.UTF8.GetString(Payload.Span);

    public JsonDocument Json() => JsonDocument.Parse(Payload);

    public override string ToString() => $"{Topic}{(Retain ? " (retained)" : "")}: {Text}";
}

/// <summary>
/// A subscriber for tests, built on <see cref="MosquittoClient"/>: collects what arrives on a filter,
/// thread-safely, and waits for a condition with a timeout. Resubscribes after a reconnect that lost the
/// session; with a persistent session (fixed client id, CleanStart false) nothing published while it was
/// away is missed.
/// </summary>
public sealed class MqttCapture : IAsyncDisposable
{
    private readonly MosquittoClient _client;
    private readonly string _filter;
    private readonly int _qos;
    private readonly List<CapturedMessage> _messages = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _subscribed;

    private MqttCapture(MosquittoClientOptions options, string filter, int qos)
    {
        _client = new MosquittoClient(options);
        _filter = filter;
        _qos = qos;
        _client.MessageReceived += (_, e) => Add(new CapturedMessage(e.Topic, e.Payload, e.Retain));
        _client.Connected += (_, e) =>
        {
            if (_subscribed && !e.SessionPresent) _client.Subscribe(_filter, _qos);
        };
    }

    public MosquittoClient Client => _client;

    public static async Task<MqttCapture> StartAsync(MosquittoClientOptions options, string filter, int qos = 1, CancellationToken cancellationToken = default)
    {
        var capture = new MqttCapture(options, filter, qos);
        try
        {
            await capture._client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await capture._client.SubscribeAsync(filter, qos, cancellationToken).ConfigureAwait(false);
            capture._subscribed = true;
            return capture;
        }
        catch
        {
            await capture.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static Task<MqttCapture> StartAsync(MosquittoBroker broker, string filter, int qos = 1, CancellationToken cancellationToken = default) =>
        StartAsync(broker.ClientOptions(), filter, qos, cancellationToken);

    /// <summary>A snapshot of everything captured so far, in arrival order.</summary>
    public IReadOnlyList<CapturedMessage> Messages
    {
        get
        {
            lock (_messages) return [.. _messages];
        }
    }

    /// <summary>Waits until the predicate holds over the captured list; throws a TimeoutException listing what did arrive.</summary>
    public async Task<IReadOnlyList<CapturedMessage>> WaitForAsync(Func<IReadOnlyList<CapturedMessage>, bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            IReadOnlyList<CapturedMessage> snapshot;
            lock (_messages)
            {
                snapshot = [.. _messages];
                changed = _changed.Task;
            }
            if (predicate(snapshot)) return snapshot;
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds:0.#} s on '{_filter}'; {snapshot.Count} message(s) captured:\n"
                    + string.Join("\n", snapshot.TakeLast(10)));
            }
        }
    }

    /// <summary>Waits for one message matching the predicate and returns the first such.</summary>
    public async Task<CapturedMessage> WaitForMessageAsync(Func<CapturedMessage, bool> predicate, TimeSpan timeout)
    {
        var all = await WaitForAsync(list => list.Any(predicate), timeout).ConfigureAwait(false);
        return all.First(predicate);
    }

    public void Clear()
    {
        lock (_messages) _messages.Clear();
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync().ConfigureAwait(false);

    private void Add(CapturedMessage message)
    {
        TaskCompletionSource changed;
        lock (_messages)
        {
            _messages.Add(message);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
