using EdgeAgent.Core.Contract;
using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Transport;

// The connection's life: first connect with backoff, events from libmosquitto, the watchdog, the stop.
public sealed partial class ReadForwarder
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private async Task SuperviseConnectionAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_started && !_connected && _connections > 0 && now - _disconnectedAt > _options.ReconnectWatchdog)
        {
            // libmosquitto's thread may have given up (refused CONNACK, TLS error): start it again ourselves.
            Log.Watchdog(_logger, _client.Options.Endpoint, _options.ReconnectWatchdog.TotalSeconds);
            await _client.DisconnectAsync().ConfigureAwait(false);
            _started = false;
            _nextConnectAttempt = now;
        }
        if (_started || now < _nextConnectAttempt) return;
        try
        {
            await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            _started = true;
            _connectAttempts = 0;
        }
        catch (MosquittoException e)
        {
            _connectAttempts++;
            var backoff = Backoff(_connectAttempts);
            _nextConnectAttempt = _time.GetUtcNow() + backoff;
            NoteError(e.Message);
            Log.ConnectFailed(_logger, e.Message, backoff.TotalSeconds);
        }
    }

    /// <summary>1, 2, 4 ... 30 s, plus up to half a second of jitter so a fleet does not reconnect in step.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 1 << Math.Min(attempt - 1, 5))) + TimeSpan.FromMilliseconds(Random.Shared.Next(500));

    /// <summary>Applies what the network thread reported, in its order; PUBACKs become one MarkDelivered.</summary>
    private void ProcessEvents()
    {
        List<long>? delivered = null;
        var now = _time.GetUtcNow();
        while (_events.TryDequeue(out var e))
        {
            switch (e.Kind)
            {
                case EventKind.Connected:
                    OnConnected(now);
                    break;
                case EventKind.Disconnected when e.WasConnected:
                    _connected = false;
                    _disconnectedAt = now;
                    ForgetInFlight();
                    if (e.Code != 0) NoteError($"connection to {_client.Options.Endpoint} lost: {e.Reason}");
                    break;
                case EventKind.Acknowledged when e.Mid == _stoppedMid:
                    _stoppedAcknowledged = true;
                    break;
                case EventKind.Acknowledged when _inFlight.Remove(e.Mid, out long seq):
                    if (e.Code < 128)
                    {
                        if (_inFlight.Accepted(seq)) (delivered ??= []).Add(seq);   // every recipient has it
                    }
                    else
                    {
                        _inFlight.Refused(seq);
                        // Refused (e.g. not authorised): stays unsent and is tried again later, never dropped.
                        Interlocked.Increment(ref _rejected);
                        _retryRejectedAt = now + _options.RetryAfterRejection;
                        NoteError($"the broker refused read {seq} (PUBACK reason {e.Code})");
                        Log.PublishRejected(_logger, seq, e.Code);
                    }
                    break;
                default:
                    break;   // a PUBACK for a message of an earlier connection, libmosquitto's own resend, or a status
            }
        }
        Volatile.Write(ref _inFlightCount, _inFlight.Count);
        if (delivered is null) return;
        _outbox.MarkDelivered(delivered, now);
        Interlocked.Add(ref _acknowledged, delivered.Count);
    }

    private void OnConnected(DateTimeOffset now)
    {
        _connected = true;
        Interlocked.Exchange(ref _connectedSinceTicks, now.UtcTicks);
        _backlogEnd = _outbox.NewestSeq();
        if (_connections++ > 0) Interlocked.Increment(ref _reconnects);
        // A new connection starts from the oldest unsent read: whatever was in flight may never have arrived.
        ForgetInFlight();
        try
        {
            _client.Publish(_topics.Status, StatusMessage.Online(_options.AgentVersion, _options.Profile, now), qos: 1, retain: true);
        }
        catch (BrokerUnavailableException)
        {
            // Lost again already; the next connect publishes the birth.
        }
        Log.Online(_logger, _client.Options.Endpoint, _connections - 1);
    }

    private void ForgetInFlight()
    {
        _inFlight.Clear();
        _cursor = 0;
        Volatile.Write(ref _inFlightCount, 0);
    }

    /// <summary>
    /// The graceful stop: give outstanding PUBACKs a moment (fewer duplicates after a restart), leave
    /// "stopped" as the retained status, then DISCONNECT so the broker does not publish the will.
    /// </summary>
    private async Task StopAsync()
    {
        // Bounded in real time whatever clock forwarding runs on: a stop must end even under a test's frozen clock.
        var wall = TimeProvider.System;
        var deadline = wall.GetUtcNow() + _options.StopTimeout;
        try
        {
            ProcessEvents();
            while (_connected && _inFlight.Count > 0 && wall.GetUtcNow() < deadline)
            {
                await WaitForWakeAsync(TimeSpan.FromMilliseconds(100), wall, CancellationToken.None).ConfigureAwait(false);
                ProcessEvents();
            }
            if (_connected)
            {
                _stoppedMid = _client.Publish(_topics.Status, StatusMessage.Stopped(_time.GetUtcNow()), qos: 1, retain: true);
                ProcessEvents();
                while (!_stoppedAcknowledged && _connected && wall.GetUtcNow() < deadline)
                {
                    await WaitForWakeAsync(TimeSpan.FromMilliseconds(100), wall, CancellationToken.None).ConfigureAwait(false);
                    ProcessEvents();
                }
            }
        }
        catch (MosquittoException e)
        {
            NoteError($"stopping: {e.Message}");
        }
        finally
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
            _connected = false;
            Signal(ref _progress);
            Log.Stopped(_logger, Interlocked.Read(ref _acknowledged), _inFlight.Count);
        }
    }
}
