using System.Runtime.InteropServices;

namespace EdgeAgent.Transport.Mosquitto;

// The native side: callbacks from the network thread, and stopping that thread.
public sealed partial class MosquittoClient
{
    // Set while this thread runs one of our callbacks, so that a handler calling Dispose or DisconnectAsync
    // fails loudly instead of deadlocking in pthread_join on its own thread.
    [ThreadStatic] private static bool t_inCallback;

    private readonly Dictionary<int, TaskCompletionSource<int>> _subscribers = [];

    [UnmanagedCallersOnly]
    private static unsafe void OnConnect(nint mosq, nint userdata, int rc, int flags, nint properties) =>
        Dispatch(userdata, static (c, a) => c.HandleConnect(a.rc, a.flags), (rc, flags));

    [UnmanagedCallersOnly]
    private static unsafe void OnDisconnect(nint mosq, nint userdata, int rc, nint properties)
    {
        int errno = Marshal.GetLastSystemError();   // read first: for MOSQ_ERR_ERRNO it says why (e.g. refused)
        Dispatch(userdata, static (c, a) => c.HandleDisconnect(a.rc, a.errno), (rc, errno));
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnPublish(nint mosq, nint userdata, int mid, int reasonCode, nint properties) =>
        Dispatch(userdata, static (c, a) =>
        {
            c.CallbackArrived();
            c.PublishAcknowledged?.Invoke(c, new MqttPublishAckEventArgs(a.mid, a.reasonCode));
        }, (mid, reasonCode));

    [UnmanagedCallersOnly]
    private static unsafe void OnMessage(nint mosq, nint userdata, MosquittoInterop.Message* message) =>
        Dispatch(userdata, static (c, m) => c.HandleMessage((MosquittoInterop.Message*)m), (nint)message);

    [UnmanagedCallersOnly]
    private static unsafe void OnSubscribe(nint mosq, nint userdata, int mid, int qosCount, int* grantedQos) =>
        Dispatch(userdata, static (c, a) => c.HandleSubscribed(a.mid, a.qosCount > 0 ? *(int*)a.granted : 128), (mid, qosCount, granted: (nint)grantedQos));

    [UnmanagedCallersOnly]
    private static unsafe void OnLog(nint mosq, nint userdata, int level, byte* text)
    {
        // Called for every packet at debug level: filter before paying for a string.
        if ((level & (MosquittoInterop.LogErr | MosquittoInterop.LogWarning)) == 0) return;
        Dispatch(userdata, static (c, a) => c.HandleLibraryLog(a.level, Marshal.PtrToStringUTF8(a.text) ?? ""), (level, text: (nint)text));
    }

    /// <summary>OpenSSL's pem_password_cb: no password, so an encrypted key fails to load instead of prompting on a TTY.</summary>
    [UnmanagedCallersOnly]
    private static unsafe int NoKeyPassword(byte* buffer, int size, int rwflag, nint userdata) => 0;

    /// <summary>
    /// Every callback goes through here: an exception must never unwind into native code (the runtime would
    /// abort the process), so everything is caught and logged.
    /// </summary>
    private static void Dispatch<T>(nint userdata, Action<MosquittoClient, T> action, T args)
    {
        if (userdata == 0 || GCHandle.FromIntPtr(userdata).Target is not MosquittoClient client || client._disposed) return;
        t_inCallback = true;
        try
        {
            action(client, args);
        }
#pragma warning disable CA1031 // Whatever a handler throws, the native thread must not see it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CallbackFailed(client._logger, client.Options.Endpoint, e);
        }
        finally
        {
            t_inCallback = false;
        }
    }

    private void HandleConnect(int rc, int flags)
    {
        var connecting = Volatile.Read(ref _connecting);
        if (rc == 0)
        {
            _connected = true;
            connecting?.TrySetResult();
            Connected?.Invoke(this, new MqttConnectedEventArgs(sessionPresent: (flags & 1) != 0));
            return;
        }
        _connected = false;
        string reason = Mosq.ReasonText(rc, Options.Protocol == MqttProtocol.V5);
        Log.Refused(_logger, Options.Endpoint, rc, reason);
        connecting?.TrySetException(new BrokerRefusedException(Options.Endpoint, "CONNACK", rc, reason));
    }

    private void HandleDisconnect(int rc, int errno)
    {
        bool was = _connected;
        _connected = false;
        string reason = rc == MosquittoInterop.ErrErrno ? Mosq.ErrorText(rc, errno) : Mosq.DisconnectText(rc);
        var connecting = Volatile.Read(ref _connecting);
        // Before a CONNACK, a disconnect is the attempt failing: TCP refused, TLS handshake, broker closed.
        connecting?.TrySetException(rc is MosquittoInterop.ErrTls or MosquittoInterop.ErrTlsHandshake
            ? new BrokerRefusedException(Options.Endpoint, "mosquitto_connect_async", rc, reason)
            : new BrokerUnavailableException(Options.Endpoint, "mosquitto_connect_async", rc, reason));
        lock (_subscribers)
        {
            foreach (var waiter in _subscribers.Values)
                waiter.TrySetException(new BrokerUnavailableException(Options.Endpoint, "mosquitto_subscribe", rc, reason));
        }
        // QoS 0 packets not yet written are dropped with the connection and never called back; QoS 1 and 2
        // ones are sent again after a reconnect and may still be (the count stops at zero, see CallbackArrived).
        Volatile.Write(ref _awaitingCallback, 0);
        // rc 0 is our own disconnect (an orderly stop): not news worth a warning.
        if (was && rc == 0) Log.DisconnectedOnRequest(_logger, Options.Endpoint);
        else if (was) Log.Disconnected(_logger, Options.Endpoint, rc, reason);
        Disconnected?.Invoke(this, new MqttDisconnectedEventArgs(rc, reason, was));
    }

    private unsafe void HandleMessage(MosquittoInterop.Message* m)
    {
        // libmosquitto frees the message after the callback returns: copy out what the handler may keep.
        string topic = Marshal.PtrToStringUTF8((nint)m->Topic) ?? "";
        byte[] payload = m->PayloadLength > 0 ? new ReadOnlySpan<byte>(m->Payload, m->PayloadLength).ToArray() : [];
        MessageReceived?.Invoke(this, new MqttMessageEventArgs(topic, payload, m->Retain != 0, m->Qos));
    }

    /// <summary>
    /// libmosquitto's own warnings and errors (its messages carry no credentials). Kept for error messages:
    /// a TLS handshake that fails while connecting is only ever reported here (the library's network thread
    /// then ends without a disconnect callback), so it also fails a pending ConnectAsync at once.
    /// </summary>
    private void HandleLibraryLog(int level, string text)
    {
        _lastLibraryError = text;
        Log.Library(_logger, Options.Endpoint, text);
        if ((level & MosquittoInterop.LogErr) != 0 && text.StartsWith("OpenSSL Error", StringComparison.Ordinal))
            Volatile.Read(ref _connecting)?.TrySetException(new BrokerRefusedException(Options.Endpoint, "TLS handshake", MosquittoInterop.ErrTls, text));
    }

    private void HandleSubscribed(int mid, int grantedQos)
    {
        CallbackArrived();
        lock (_subscribers)
        {
            if (_subscribers.TryGetValue(mid, out var waiter)) waiter.TrySetResult(grantedQos);
        }
    }

    // Counted before the native call that queues the packet: its callback may come on the network thread
    // before the call returns.
    private void ExpectCallback() => Interlocked.Increment(ref _awaitingCallback);

    // A call that failed queued nothing, so its callback never comes.
    private void ThrowUnlessQueued(int rc, string call)
    {
        if (rc == MosquittoInterop.ErrSuccess) return;
        CallbackArrived();
        Mosq.ThrowIfError(rc, call);
    }

    private void CallbackArrived()
    {
        int now = Volatile.Read(ref _awaitingCallback);
        while (now > 0 && Interlocked.CompareExchange(ref _awaitingCallback, now - 1, now) is int seen && seen != now) now = seen;
    }

    private void ThrowIfOnNetworkThread()
    {
        if (t_inCallback) throw new InvalidOperationException("A MosquittoClient cannot be disconnected or disposed from its own event handler.");
    }

    private static readonly TimeSpan AcknowledgementWait = TimeSpan.FromSeconds(2);

    private Task StopLoopAsync() => Task.Factory.StartNew(StopLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// mosquitto_loop_stop(force: false) joins the network thread, which leaves only once the client is in
    /// the disconnecting state. A reconnect that is under way when we ask resets that state, so the
    /// DISCONNECT is repeated until the thread has gone (bounded; never pthread_cancel, which could unwind
    /// through managed frames).
    /// </summary>
    /// <remarks>
    /// The DISCONNECT waits until the broker has answered everything we sent. libmosquitto 2.0 treats any
    /// packet that arrives once it is disconnecting (a PUBACK, a SUBACK) as a protocol error and closes the
    /// socket before writing the DISCONNECT it has queued; the broker then sees a lost client and publishes
    /// the Last Will. A loop of 150 connect, publish QoS 1, disconnect saw that in 14 without this wait.
    /// A message the broker sends us unasked in that instant can still do it. The wait is short: a broker
    /// that has not answered in that time is stalled, and callers that drain (the forwarder) waited already.
    /// </remarks>
    private void StopLoop()
    {
        lock (_gate)
        {
            if (!_loopStarted || _loopStuck) return;
            SpinWait.SpinUntil(() => !_connected || Volatile.Read(ref _awaitingCallback) == 0, AcknowledgementWait);
            _ = MosquittoInterop.Disconnect(_handle);   // MOSQ_ERR_NO_CONN is fine: the state is set all the same
            var joined = Task.Factory.StartNew(() => MosquittoInterop.LoopStop(_handle, false), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            for (int attempt = 0; attempt < 40 && !joined.Wait(TimeSpan.FromMilliseconds(250)); attempt++)
                _ = MosquittoInterop.Disconnect(_handle);
            if (joined.IsCompleted)
            {
                _loopStarted = false;
                _connected = false;
            }
            else
            {
                _loopStuck = true;
            }
        }
    }
}
