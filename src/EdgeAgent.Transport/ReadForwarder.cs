using System.Collections.Concurrent;
using System.Threading.Channels;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Transport.Mosquitto;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Transport;

/// <summary>
/// The store-and-forward publisher (ARCHITECTURE.md, "Store and forward"). Reads unsent entries from the
/// outbox oldest first, publishes each with QoS 1 on the read topic, at most MaxInFlight unacknowledged,
/// and marks an entry delivered only on its PUBACK. When the connection drops it forgets what was in
/// flight; once libmosquitto has reconnected it publishes again from the oldest unsent entry, so a read
/// may arrive twice (same id) but is never lost. The birth ("online", retained) is published on every
/// connect, the Last Will ("offline", retained) is registered before connecting, and a graceful stop
/// leaves "stopped" retained.
/// </summary>
/// <remarks>
/// One loop (<see cref="RunAsync"/>) owns all the state: the libmosquitto callbacks only queue events and
/// wake it, so a PUBACK can never be matched before its publish was recorded, and no lock is held around
/// native calls.
/// </remarks>
public sealed partial class ReadForwarder : IAsyncDisposable
{
    private readonly IOutbox _outbox;
    private readonly Topics _topics;
    private readonly ReadForwarderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MosquittoClient _client;
    private readonly ConcurrentQueue<ClientEvent> _events = new();
    private readonly Channel<byte> _wake = Channel.CreateBounded<byte>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,   // one pending wake-up is as good as many
        SingleReader = true,
    });

    // Loop state: touched only by the loop.
    private readonly FanOutWindow _inFlight = new();   // mid -> outbox seq, and PUBACKs awaited per read
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Template, string Camera), string> _readTopics = new();
    private IReadOnlyList<ReadRoute>? _defaultRoutes;     // without a policy: the read topic, AllowedFields
    private readonly DrainRateLimiter _drain;
    private long _cursor;                 // highest seq published on this connection
    private long _backlogEnd;             // newest seq committed when this connection came up: up to it is historical
    private bool _started;                // ConnectAsync succeeded; libmosquitto owns reconnects from then
    private int _connectAttempts;
    private DateTimeOffset _nextConnectAttempt;
    private DateTimeOffset _disconnectedAt;
    private DateTimeOffset _retryRejectedAt;
    private int _connections;
    private int? _stoppedMid;             // the "stopped" status, whose PUBACK the stop waits for
    private bool _stoppedAcknowledged;

    // Read by Status and WaitUntilDrainedAsync from other threads.
    private volatile bool _connected;
    private long _published, _acknowledged, _reconnects, _rejected, _connectedSinceTicks;
    private int _inFlightCount;
    private volatile ErrorNote? _lastError;
    private TaskCompletionSource _progress = NewSignal();
    private int _running;

    public ReadForwarder(IOutbox outbox, Topics topics, MosquittoClientOptions mqtt, ReadForwarderOptions? options = null,
        TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(mqtt);
        _options = options ?? new ReadForwarderOptions();
        if (_options.Validate() is { } problem) throw new ArgumentException($"Forwarder options: {problem}", nameof(options));
        _outbox = outbox;
        _topics = topics;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _drain = new DrainRateLimiter(_options.DrainRatePerSecond, Math.Max(1, Math.Min(_options.MaxInFlight, (int)Math.Ceiling(_options.DrainRatePerSecond))), _time.GetUtcNow());

        // The will is the forwarder's, whatever the caller set: "offline", retained, on the status topic.
        _client = new MosquittoClient(mqtt with { Will = new MqttWill(topics.Status, StatusMessage.Offline(), Qos: 1, Retain: true) }, _logger);
        _client.Connected += (_, _) => Post(new ClientEvent(EventKind.Connected));
        _client.Disconnected += (_, e) => Post(new ClientEvent(EventKind.Disconnected, 0, e.ReasonCode, e.Reason, e.WasConnected));
        _client.PublishAcknowledged += (_, e) => Post(new ClientEvent(EventKind.Acknowledged, e.Mid, e.ReasonCode));
    }

    /// <summary>A snapshot for health reports.</summary>
    public ForwarderStatus Status
    {
        get
        {
            var error = _lastError;
            long since = Interlocked.Read(ref _connectedSinceTicks);
            return new ForwarderStatus(_connected, Interlocked.Read(ref _published), Interlocked.Read(ref _acknowledged),
                Volatile.Read(ref _inFlightCount), Interlocked.Read(ref _reconnects), Interlocked.Read(ref _rejected),
                error?.Message, error?.At, _connected && since != 0 ? new DateTimeOffset(since, TimeSpan.Zero) : null);
        }
    }

    /// <summary>The MQTT connection (for tests that cut it).</summary>
    internal MosquittoClient Client => _client;

    /// <summary>
    /// Publishes a message beside the reads on the same connection (health, audit chain head, evidence
    /// answers): QoS 1, fire and forget. Returns false when not connected; such messages are periodic or
    /// answered again on request, so they are not queued. Any thread.
    /// </summary>
    public bool TryPublish(string topic, ReadOnlySpan<byte> payload, bool retain)
    {
        if (!_connected) return false;
        try
        {
            _client.Publish(topic, payload, qos: 1, retain);
            return true;
        }
        catch (BrokerUnavailableException)
        {
            return false;
        }
    }

    /// <summary>A read was appended: publish it now rather than at the next periodic check. Cheap; any thread.</summary>
    public void Nudge() => _wake.Writer.TryWrite(0);

    /// <summary>
    /// Completes with true as soon as the outbox holds no unsent read, false when <paramref name="timeout"/>
    /// passes first (replay exits only once everything is delivered).
    /// </summary>
    public async Task<bool> WaitUntilDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        while (true)
        {
            // Take the signal before looking, so progress made in between is not missed.
            Task progress = Volatile.Read(ref _progress).Task;
            if (_outbox.GetStats().Unsent == 0) return true;
            try
            {
                await progress.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return _outbox.GetStats().Unsent == 0;
            }
        }
    }

    /// <summary>
    /// Connects (retrying with backoff while the broker is unreachable) and forwards until cancelled; then
    /// waits briefly for outstanding PUBACKs, publishes "stopped" (retained) and disconnects cleanly.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) throw new InvalidOperationException("RunAsync is already running or has run.");
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TimeSpan wait = _options.CheckInterval;
                try
                {
                    await SuperviseConnectionAsync(cancellationToken).ConfigureAwait(false);
                    ProcessEvents();
                    wait = Min(wait, Pump());
                    if (!_started) wait = Min(wait, _nextConnectAttempt - _time.GetUtcNow());
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // The forwarder must outlive any one failure (a locked database, a full disk): note it and go on.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    NoteError($"forwarding failed: {e.Message}");
                    Log.ForwardingFailed(_logger, e);
                }
                Signal(ref _progress);
                await WaitForWakeAsync(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        _wake.Writer.TryComplete();
    }

    /// <summary>
    /// Publishes what fits in the in-flight window, oldest first; returns how soon to look again when the
    /// drain rate held a backlog read back.
    /// </summary>
    private TimeSpan Pump()
    {
        if (!_connected) return TimeSpan.MaxValue;
        var now = _time.GetUtcNow();
        // With nothing in flight, every unsent read at or below the cursor is stranded (its PUBACK was a
        // refusal, or never came): start again from the oldest. Harmless otherwise: delivered ones are skipped.
        if (_inFlight.Count == 0 && now >= _retryRejectedAt) _cursor = 0;
        // One message per recipient of the sharing policy, each cut to the fields that recipient may receive.
        IReadOnlyList<ReadRoute> routes = _options.Routes?.Invoke() is { Count: > 0 } policy ? policy
            : _defaultRoutes ??= [new ReadRoute("default", (_topics with { Camera = "{camera}" }).Read, _options.AllowedFields)];
        int room = (_options.MaxInFlight - _inFlight.Count) / routes.Count;
        if (room <= 0) return TimeSpan.MaxValue;

        foreach (var entry in _outbox.ReadUnsent(_cursor, room))
        {
            // Backlog: committed before this connection (by sequence, not by read time: a replay faster than
            // real time stamps reads ahead of the wall clock), or simply old by the time it goes.
            bool historical = entry.Seq <= _backlogEnd || now - entry.CreatedAt > _options.HistoricalAfter;
            if (historical && !_drain.TryAcquire(now)) return _drain.UntilNext(now);
            foreach (ReadRoute route in routes)
            {
                byte[] payload = ReadMessage.Encode(entry.Event, historical, route.Fields);
                int mid;
                try
                {
                    mid = _client.Publish(ReadTopic(route.Topic, entry.Event.Camera), payload, qos: 1, retain: false);
                }
                catch (BrokerUnavailableException)
                {
                    return TimeSpan.MaxValue;   // the connection just went; its Disconnected event is on the way
                }
                _inFlight.Sent(mid, entry.Seq);
            }
            _cursor = entry.Seq;
            Interlocked.Increment(ref _published);
        }
        Volatile.Write(ref _inFlightCount, _inFlight.Count);
        return TimeSpan.MaxValue;
    }

    // Several cameras share this connection (Camera:Sources): each read goes to its own camera's topic.
    // A read goes to its own camera's topic: "{camera}" in a route's topic is the read's camera (this unit's
    // when the read names none). Cached: a handful of cameras and recipients, looked up per publish.
    private string ReadTopic(string template, string camera) =>
        !template.Contains("{camera}", StringComparison.Ordinal) ? template
        : _readTopics.GetOrAdd((template, string.IsNullOrEmpty(camera) ? _topics.Camera : camera),
            static key => key.Template.Replace("{camera}", key.Camera, StringComparison.Ordinal));

    private async Task WaitForWakeAsync(TimeSpan wait, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (wait > TimeSpan.Zero && !_wake.Reader.TryRead(out _))
        {
            using var timeout = new CancellationTokenSource(wait, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                // Cancelling the token removes the waiter from the channel: no pile-up of abandoned waits.
                if (await _wake.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false)) _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException)
            {
                // The periodic check, or the stop (the loop looks at the token next).
            }
        }
    }

    private void Post(ClientEvent e)
    {
        _events.Enqueue(e);
        _wake.Writer.TryWrite(0);
    }

    private void NoteError(string message) => _lastError = new ErrorNote(message, _time.GetUtcNow());

    private static void Signal(ref TaskCompletionSource signal) => Interlocked.Exchange(ref signal, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private enum EventKind { Connected, Disconnected, Acknowledged }

    private readonly record struct ClientEvent(EventKind Kind, int Mid = 0, int Code = 0, string? Reason = null, bool WasConnected = false);

    private sealed record ErrorNote(string Message, DateTimeOffset At);
}
