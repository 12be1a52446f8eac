using Microsoft.Extensions.Logging;

namespace EdgeAgent.Transport;

/// <summary>Typed log messages of the transport, numbered 4000..4099 (STYLE.md §9). Never secrets or payloads.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "MQTT connected to {Endpoint} (TLS {Tls})")]
    public static partial void Connected(ILogger logger, string endpoint, bool tls);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "MQTT connection to {Endpoint} lost ({Code}: {Reason}); libmosquitto reconnects")]
    public static partial void Disconnected(ILogger logger, string endpoint, int code, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "MQTT broker {Endpoint} refused the connection ({Code}: {Reason})")]
    public static partial void Refused(ILogger logger, string endpoint, int code, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "An MQTT callback for {Endpoint} threw; the exception was contained")]
    public static partial void CallbackFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "The libmosquitto network thread for {Endpoint} did not stop; the native client is leaked")]
    public static partial void LoopStuck(ILogger logger, string endpoint);
}
