using Microsoft.Extensions.Logging;

namespace EdgeAgent.Transport;

/// <summary>Typed log messages of the transport, numbered 4000..4099 (STYLE.md §9). Never secrets or payloads.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "MQTT connected to {Endpoint} (TLS {Tls})")]
    public static partial void Connected(ILogger logger, string endpoint, bool tls);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "MQTT connection to {Endpoint} lost ({Code}: {Reason}); libmosquitto reconnects")]
    public static partial void Disconnected(ILogger logger, string endpoint, int code, string reason);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Information, Message = "MQTT connection to {Endpoint} closed")]
    public static partial void DisconnectedOnRequest(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "MQTT broker {Endpoint} refused the connection ({Code}: {Reason})")]
    public static partial void Refused(ILogger logger, string endpoint, int code, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "An MQTT callback for {Endpoint} threw; the exception was contained")]
    public static partial void CallbackFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The libmosquitto network thread for {Endpoint} did not stop; the native client is leaked")]
    public static partial void LoopStuck(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "libmosquitto ({Endpoint}): {Text}")]
    public static partial void Library(ILogger logger, string endpoint, string text);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Forwarder online at {Endpoint} (reconnects so far {Reconnects}); publishing from the oldest unsent read")]
    public static partial void Online(ILogger logger, string endpoint, int reconnects);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "MQTT connect failed: {Reason}; next attempt in {Seconds:0.#} s (reads stay in the outbox)")]
    public static partial void ConnectFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Broker refused read {Seq} (PUBACK reason {Code}); it stays unsent and is retried")]
    public static partial void PublishRejected(ILogger logger, long seq, int code);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "No MQTT connection to {Endpoint} for {Seconds} s: restarting the client")]
    public static partial void Watchdog(ILogger logger, string endpoint, double seconds);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Error, Message = "Forwarding failed; retrying at the next check")]
    public static partial void ForwardingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Information, Message = "Forwarder stopped: {Acknowledged} reads acknowledged, {InFlight} left in flight (still unsent in the outbox)")]
    public static partial void Stopped(ILogger logger, long acknowledged, int inFlight);
}
