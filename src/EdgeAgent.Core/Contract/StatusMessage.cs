using System.Buffers;
using System.Text.Json;

namespace EdgeAgent.Core.Contract;

/// <summary>The retained status message: "online" at connect (birth), "offline" as the Last Will.</summary>
public static class StatusMessage
{
    public static byte[] Online(string agentVersion, string profile, DateTimeOffset since) => Write(w =>
    {
        w.WriteString("state", "online");
        w.WriteString("agent_version", agentVersion);
        w.WriteString("profile", profile);
        w.WriteString("since", ReadMessage.FormatTime(since));
    });

    /// <summary>The Last Will: the broker publishes it when the agent vanishes without saying goodbye.</summary>
    public static byte[] Offline() => Write(w => w.WriteString("state", "offline"));

    /// <summary>Sent on an orderly shutdown, so the backend can tell a stop from a crash.</summary>
    public static byte[] Stopped(DateTimeOffset at) => Write(w =>
    {
        w.WriteString("state", "offline");
        w.WriteString("reason", "stopped");
        w.WriteString("since", ReadMessage.FormatTime(at));
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", ReadMessage.Version);
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
