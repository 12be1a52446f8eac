namespace EdgeAgent.Transport.Mosquitto;

/// <summary>
/// A libmosquitto call failed. <see cref="Call"/> names the C function and <see cref="ErrorCode"/> is its
/// mosq_err_t (or an MQTT reason code for a refused connection). Messages never contain credentials,
/// key material or payloads.
/// </summary>
public class MosquittoException : Exception
{
    public MosquittoException(string call, int errorCode, string detail)
        : base($"{call} failed ({errorCode}: {detail})")
    {
        Call = call;
        ErrorCode = errorCode;
    }

    public MosquittoException(string message) : base(message) { }

    public MosquittoException(string message, Exception inner) : base(message, inner) { }

    public MosquittoException() { }

    /// <summary>A message of the caller's own wording, keeping the call and code for handlers.</summary>
    protected MosquittoException(string message, string call, int errorCode, Exception? inner = null) : base(message, inner)
    {
        Call = call;
        ErrorCode = errorCode;
    }

    public string Call { get; } = "";

    public int ErrorCode { get; }
}

/// <summary>
/// The broker cannot be reached now (no connection, connection lost, refused at TCP level, no CONNACK in
/// time). Transient: the store-and-forward publisher keeps the reads and tries again.
/// </summary>
public sealed class BrokerUnavailableException : MosquittoException
{
    public BrokerUnavailableException(string call, int errorCode, string detail)
        : base($"{call} failed: not connected to the broker ({errorCode}: {detail})", call, errorCode) { }

    public BrokerUnavailableException(string endpoint, string call, int errorCode, string detail, Exception? inner = null)
        : base($"MQTT broker {endpoint} is unavailable: {detail} ({call}, {errorCode})", call, errorCode, inner)
    {
        Endpoint = endpoint;
    }

    public BrokerUnavailableException(string message) : base(message) { }

    public BrokerUnavailableException(string message, Exception inner) : base(message, inner) { }

    public BrokerUnavailableException() { }

    /// <summary>host:port, when known.</summary>
    public string? Endpoint { get; }
}

/// <summary>
/// The broker answered and refused the connection (CONNACK with a failure reason: bad credentials, not
/// authorised, unsupported protocol ...), or the TLS handshake failed. Retrying will not help until the
/// configuration changes.
/// </summary>
public sealed class BrokerRefusedException : MosquittoException
{
    public BrokerRefusedException(string endpoint, string call, int reasonCode, string reason)
        : base($"MQTT broker {endpoint} refused the connection: {reason} ({call}, {reasonCode})", call, reasonCode)
    {
        Endpoint = endpoint;
    }

    public BrokerRefusedException(string message) : base(message) { }

    public BrokerRefusedException(string message, Exception inner) : base(message, inner) { }

    public BrokerRefusedException() { }

    public string? Endpoint { get; }
}
