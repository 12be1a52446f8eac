using System.Runtime.InteropServices;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Transport.Mosquitto;

/// <summary>
/// One MQTT connection through libmosquitto, with its network thread (mosquitto_loop_start) doing I/O,
/// keep-alive and reconnects (exponential, <see cref="MosquittoClientOptions.ReconnectDelayMin"/> ..
/// max). Publishing is thread safe. Events are raised on the network thread: handlers must return quickly
/// and may not call <see cref="DisconnectAsync"/> or <see cref="Dispose"/> (that would join the thread
/// from itself).
/// </summary>
public sealed partial class MosquittoClient : IDisposable, IAsyncDisposable
{
    private readonly SafeMosquittoHandle _handle;
    private readonly ILogger _logger;
    // Serialises connect and stop. Never taken on the network thread: StopLoop holds it while joining that
    // thread, so a callback waiting for it would deadlock the join.
    private readonly Lock _gate = new();

    // The native side holds this as userdata; a strong handle, so a client that is never disposed is leaked
    // rather than collected while the network thread can still call back into it.
    private GCHandle _self;
    private TaskCompletionSource? _connecting;
    private bool _loopStarted;
    private bool _loopStuck;
    private volatile bool _connected;
    private volatile bool _disposed;
    private volatile string? _lastLibraryError;
    // Packets this connection still expects a callback for: publishes not yet written (QoS 0) or acknowledged
    // (QoS 1, 2), subscribes not yet acknowledged. A clean disconnect waits for none to be left (see StopLoop).
    private int _awaitingCallback;

    public MosquittoClient(MosquittoClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem) throw new ArgumentException($"MQTT options for {options.Endpoint}: {problem}", nameof(options));
        Options = options;
        _logger = logger ?? NullLogger.Instance;
        MosquittoLibrary.EnsureInitialised();

        _self = GCHandle.Alloc(this);
        _handle = MosquittoInterop.New(options.ClientId, options.CleanStart, GCHandle.ToIntPtr(_self));
        if (_handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            _self.Free();
            throw new MosquittoException("mosquitto_new", MosquittoInterop.ErrErrno, Mosq.ErrorText(MosquittoInterop.ErrErrno, errno));
        }
        try
        {
            Configure(options);
        }
        catch
        {
            _handle.Dispose();
            _self.Free();
            throw;
        }
    }

    public MosquittoClientOptions Options { get; }

    /// <summary>True between a successful CONNACK and the loss of that connection.</summary>
    public bool IsConnected => _connected;

    public event EventHandler<MqttConnectedEventArgs>? Connected;
    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;
    public event EventHandler<MqttPublishAckEventArgs>? PublishAcknowledged;
    public event EventHandler<MqttMessageEventArgs>? MessageReceived;

    /// <summary>
    /// Connects and starts the network thread; completes when the broker's CONNACK arrives. Throws
    /// <see cref="BrokerUnavailableException"/> (unreachable, lost, no CONNACK within the timeout) or
    /// <see cref="BrokerRefusedException"/> (refused by CONNACK or TLS), both naming host:port; the client
    /// is then stopped and may be connected again. Once connected, lost connections are re-established by
    /// libmosquitto on its own.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_loopStarted || _connecting is not null) throw new InvalidOperationException($"The client for {Options.Endpoint} is already connecting or connected.");
            // Published before connecting: the CONNACK may come before mosquitto_loop_start returns.
            Volatile.Write(ref _connecting, connecting);
            _lastLibraryError = null;
        }
        try
        {
            int rc = MosquittoInterop.ConnectAsync(_handle, Options.Host, Options.Port, (int)Options.KeepAlive.TotalSeconds);
            if (rc != MosquittoInterop.ErrSuccess) throw ConnectFailure("mosquitto_connect_async", rc, Marshal.GetLastPInvokeError());
            lock (_gate)
            {
                Mosq.ThrowIfError(MosquittoInterop.LoopStart(_handle), "mosquitto_loop_start");
                _loopStarted = true;
            }
            try
            {
                await connecting.Task.WaitAsync(Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new BrokerUnavailableException(Options.Endpoint, "mosquitto_connect_async", MosquittoInterop.ErrKeepalive,
                    $"no CONNACK within {Options.ConnectTimeout.TotalSeconds:0.#} s{(_lastLibraryError is { } last ? $" (last library error: {last})" : "")}", e);
            }
            Log.Connected(_logger, Options.Endpoint, Options.Tls is not null);
        }
        catch
        {
            await StopLoopAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            lock (_gate) Volatile.Write(ref _connecting, null);
        }
    }

    /// <summary>
    /// Publishes and returns the message id that <see cref="PublishAcknowledged"/> will carry. For QoS 1 the
    /// broker's PUBACK is what counts: this call only queues the message. Throws
    /// <see cref="BrokerUnavailableException"/> when not connected, rather than let libmosquitto queue
    /// without bound in native memory.
    /// </summary>
    public unsafe int Publish(string topic, ReadOnlySpan<byte> payload, int qos = 1, bool retain = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(qos);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(qos, 2);
        if (!_connected) throw new BrokerUnavailableException("mosquitto_publish_v5", MosquittoInterop.ErrNoConn, Mosq.ErrorText(MosquittoInterop.ErrNoConn));
        int mid, rc;
        ExpectCallback();
        fixed (byte* p = payload)
            rc = MosquittoInterop.PublishV5(_handle, &mid, topic, payload.Length, p, qos, retain, 0);
        ThrowUnlessQueued(rc, "mosquitto_publish_v5");
        return mid;
    }

    /// <summary>Subscribes and returns the SUBSCRIBE's message id without waiting for the SUBACK.</summary>
    public unsafe int Subscribe(string filter, int qos = 1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(filter);
        int mid;
        ExpectCallback();
        ThrowUnlessQueued(MosquittoInterop.Subscribe(_handle, &mid, filter, qos), "mosquitto_subscribe");
        return mid;
    }

    /// <summary>Subscribes and waits for the SUBACK; returns the granted QoS, throws when the broker refuses.</summary>
    public async Task<int> SubscribeAsync(string filter, int qos = 1, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(filter);
        var acked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int mid;
        // Held across the native call so the SUBACK (on the network thread) cannot look for the waiter before
        // it is registered. No deadlock: mosquitto_subscribe only queues, it never takes the callback mutex.
        lock (_subscribers)
        {
            mid = Subscribe(filter, qos);
            _subscribers[mid] = acked;
        }
        try
        {
            int granted = await acked.Task.WaitAsync(Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            if (granted >= 128) throw new MosquittoException("SUBACK", granted, $"the broker refused the subscription to '{filter}'");
            return granted;
        }
        finally
        {
            lock (_subscribers) _subscribers.Remove(mid);
        }
    }

    /// <summary>
    /// Sends DISCONNECT (so the broker drops the Last Will) and stops the network thread. Waits first, up to
    /// 2 s while connected, for the broker to acknowledge what was published and subscribed (see StopLoop
    /// for why). Safe to call when not connected.
    /// </summary>
    public Task DisconnectAsync()
    {
        ThrowIfOnNetworkThread();
        return StopLoopAsync();
    }

    public void Dispose()
    {
        ThrowIfOnNetworkThread();
        if (_disposed) return;
        StopLoop();
        _disposed = true;
        if (_loopStuck)
        {
            // The network thread would not stop: destroying now would cancel it inside a callback. Leak the
            // native client and the handle it calls back through; the process is likely ending anyway.
            Log.LoopStuck(_logger, Options.Endpoint);
            _handle.SetHandleAsInvalid();
            return;
        }
        _handle.Dispose();
        _self.Free();
    }

    public ValueTask DisposeAsync()
    {
        ThrowIfOnNetworkThread();
        return DisposeAsyncCore();
    }

    private async ValueTask DisposeAsyncCore()
    {
        await StopLoopAsync().ConfigureAwait(false);
        Dispose();
    }

    /// <summary>The connected socket (for tests that cut the connection as a crash would), or -1.</summary>
    internal int SocketDescriptor => _disposed ? -1 : MosquittoInterop.Socket(_handle);

    private unsafe void Configure(MosquittoClientOptions o)
    {
        Mosq.ThrowIfError(MosquittoInterop.IntOption(_handle, MosquittoInterop.OptProtocolVersion, (int)o.Protocol), "mosquitto_int_option(PROTOCOL_VERSION)");
        MosquittoInterop.ConnectV5CallbackSet(_handle, &OnConnect);
        MosquittoInterop.DisconnectV5CallbackSet(_handle, &OnDisconnect);
        MosquittoInterop.PublishV5CallbackSet(_handle, &OnPublish);
        MosquittoInterop.MessageCallbackSet(_handle, &OnMessage);
        MosquittoInterop.SubscribeCallbackSet(_handle, &OnSubscribe);
        MosquittoInterop.LogCallbackSet(_handle, &OnLog);
        if (o.Will is { } will)
        {
            fixed (byte* p = will.Payload.Span)
                Mosq.ThrowIfError(MosquittoInterop.WillSet(_handle, will.Topic, will.Payload.Length, p, will.Qos, will.Retain), "mosquitto_will_set");
        }
        if (o.Username is not null)
            Mosq.ThrowIfError(MosquittoInterop.UsernamePwSet(_handle, o.Username, o.Password), "mosquitto_username_pw_set");
        if (o.Tls is { } tls)
        {
            // Verification is explicit rather than left at libmosquitto's defaults: peer verified, host name
            // checked. With tls_set done the library only ever speaks TLS on this client.
            Mosq.ThrowIfError(MosquittoInterop.TlsSet(_handle, tls.CaFile, null, tls.CertFile, tls.KeyFile, &NoKeyPassword), "mosquitto_tls_set");
            Mosq.ThrowIfError(MosquittoInterop.TlsOptsSet(_handle, MosquittoInterop.SslVerifyPeer, null, null), "mosquitto_tls_opts_set");
            Mosq.ThrowIfError(MosquittoInterop.TlsInsecureSet(_handle, false), "mosquitto_tls_insecure_set");
        }
        Mosq.ThrowIfError(MosquittoInterop.ReconnectDelaySet(_handle, (uint)o.ReconnectDelayMin.TotalSeconds,
            (uint)o.ReconnectDelayMax.TotalSeconds, exponentialBackoff: true), "mosquitto_reconnect_delay_set");
    }

    private MosquittoException ConnectFailure(string call, int rc, int errno)
    {
        string detail = Mosq.ErrorText(rc, errno);
        return rc switch
        {
            MosquittoInterop.ErrTls or MosquittoInterop.ErrTlsHandshake => new BrokerRefusedException(Options.Endpoint, call, rc, detail),
            MosquittoInterop.ErrInval or MosquittoInterop.ErrNoMem => new MosquittoException(call, rc, $"{detail} (for {Options.Endpoint})"),
            _ => new BrokerUnavailableException(Options.Endpoint, call, rc, detail),
        };
    }
}
