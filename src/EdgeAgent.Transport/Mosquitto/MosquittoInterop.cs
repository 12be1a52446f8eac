using System.Runtime.InteropServices;

namespace EdgeAgent.Transport.Mosquitto;

/// <summary>
/// 1:1 with mosquitto.h (libmosquitto 2.0). Internal: only <see cref="MosquittoClient"/> and
/// <see cref="MosquittoLibrary"/> call it. Every C <c>bool</c> is one byte, hence <c>MarshalAs(U1)</c>.
/// </summary>
internal static unsafe partial class MosquittoInterop
{
    /// <summary>The import name; <see cref="MosquittoLibrary"/> resolves it to libmosquitto.so.1.</summary>
    internal const string Library = "mosquitto";

    // enum mosq_err_t (only the codes the binding acts on).
    internal const int ErrConnPending = -1;
    internal const int ErrSuccess = 0;
    internal const int ErrNoMem = 1;
    internal const int ErrProtocol = 2;
    internal const int ErrInval = 3;
    internal const int ErrNoConn = 4;
    internal const int ErrConnRefused = 5;
    internal const int ErrNotFound = 6;
    internal const int ErrConnLost = 7;
    internal const int ErrTls = 8;
    internal const int ErrAuth = 11;
    internal const int ErrErrno = 14;
    internal const int ErrEai = 15;
    internal const int ErrKeepalive = 19;
    internal const int ErrTlsHandshake = 23;

    // enum mosq_opt_t and its values.
    internal const int OptProtocolVersion = 1;
    internal const int ProtocolV311 = 4;
    internal const int ProtocolV5 = 5;

    // MOSQ_LOG_* levels (a bit mask).
    internal const int LogWarning = 1 << 2;
    internal const int LogErr = 1 << 3;

    // OpenSSL's SSL_VERIFY_PEER, for mosquitto_tls_opts_set.
    internal const int SslVerifyPeer = 1;

    /// <summary>struct mosquitto_message, as the message callback sees it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Message
    {
        public int Mid;
        public byte* Topic;
        public byte* Payload;
        public int PayloadLength;
        public int Qos;
        public byte Retain;
    }

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_init")]
    internal static partial int LibInit();

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_version")]
    internal static partial int LibVersion(out int major, out int minor, out int revision);

    [LibraryImport(Library, EntryPoint = "mosquitto_new", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial SafeMosquittoHandle New(string? id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, nint userdata);

    [LibraryImport(Library, EntryPoint = "mosquitto_destroy")]
    internal static partial void Destroy(nint mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_int_option")]
    internal static partial int IntOption(SafeMosquittoHandle mosq, int option, int value);

    [LibraryImport(Library, EntryPoint = "mosquitto_will_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int WillSet(SafeMosquittoHandle mosq, string topic, int payloadLength, byte* payload, int qos,
        [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, EntryPoint = "mosquitto_username_pw_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int UsernamePwSet(SafeMosquittoHandle mosq, string? username, string? password);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TlsSet(SafeMosquittoHandle mosq, string? caFile, string? caPath, string? certFile, string? keyFile,
        delegate* unmanaged<byte*, int, int, nint, int> passwordCallback);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_opts_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TlsOptsSet(SafeMosquittoHandle mosq, int certReqs, string? tlsVersion, string? ciphers);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_insecure_set")]
    internal static partial int TlsInsecureSet(SafeMosquittoHandle mosq, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library, EntryPoint = "mosquitto_reconnect_delay_set")]
    internal static partial int ReconnectDelaySet(SafeMosquittoHandle mosq, uint delay, uint delayMax,
        [MarshalAs(UnmanagedType.U1)] bool exponentialBackoff);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Connect(SafeMosquittoHandle mosq, string host, int port, int keepalive);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_async", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int ConnectAsync(SafeMosquittoHandle mosq, string host, int port, int keepalive);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop_start")]
    internal static partial int LoopStart(SafeMosquittoHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop_stop")]
    internal static partial int LoopStop(SafeMosquittoHandle mosq, [MarshalAs(UnmanagedType.U1)] bool force);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect")]
    internal static partial int Disconnect(SafeMosquittoHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PublishV5(SafeMosquittoHandle mosq, int* mid, string topic, int payloadLength, byte* payload, int qos,
        [MarshalAs(UnmanagedType.U1)] bool retain, nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Subscribe(SafeMosquittoHandle mosq, int* mid, string filter, int qos);

    /// <summary>The connected socket's descriptor, or -1.</summary>
    [LibraryImport(Library, EntryPoint = "mosquitto_socket")]
    internal static partial int Socket(SafeMosquittoHandle mosq);

    // Callbacks: void (*)(struct mosquitto *, void *userdata, ...). Set before connecting; the library calls
    // them on its network thread (loop_start), with its callback mutex held.
    [LibraryImport(Library, EntryPoint = "mosquitto_connect_v5_callback_set")]
    internal static partial void ConnectV5CallbackSet(SafeMosquittoHandle mosq, delegate* unmanaged<nint, nint, int, int, nint, void> onConnect);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect_v5_callback_set")]
    internal static partial void DisconnectV5CallbackSet(SafeMosquittoHandle mosq, delegate* unmanaged<nint, nint, int, nint, void> onDisconnect);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish_v5_callback_set")]
    internal static partial void PublishV5CallbackSet(SafeMosquittoHandle mosq, delegate* unmanaged<nint, nint, int, int, nint, void> onPublish);

    [LibraryImport(Library, EntryPoint = "mosquitto_message_callback_set")]
    internal static partial void MessageCallbackSet(SafeMosquittoHandle mosq, delegate* unmanaged<nint, nint, Message*, void> onMessage);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe_callback_set")]
    internal static partial void SubscribeCallbackSet(SafeMosquittoHandle mosq, delegate* unmanaged<nint, nint, int, int, int*, void> onSubscribe);

    [LibraryImport(Library, EntryPoint = "mosquitto_log_callback_set")]
    internal static partial void LogCallbackSet(SafeMosquittoHandle mosq, delegate* unmanaged<nint, nint, int, byte*, void> onLog);

    [LibraryImport(Library, EntryPoint = "mosquitto_strerror")]
    internal static partial nint StrError(int rc);

    [LibraryImport(Library, EntryPoint = "mosquitto_connack_string")]
    internal static partial nint ConnackString(int connackCode);

    [LibraryImport(Library, EntryPoint = "mosquitto_reason_string")]
    internal static partial nint ReasonString(int reasonCode);
}
