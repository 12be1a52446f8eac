using System.Buffers;
using System.Text.Json;

using EdgeAgent.Core.Ports;

namespace EdgeAgent.Core.Contract;

/// <summary>
/// The audit chain's head on anpr/v1/{site}/{camera}/audit (retained, periodic): an outside party that
/// keeps these can later check that the unit's chain still contains them (`edgeagent audit verify --head`).
/// </summary>
public static class AuditHeadMessage
{
    public static byte[] Encode(AuditHead head, DateTimeOffset publishedAt, string unitKeyId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", ReadMessage.Version);
            w.WriteNumber("seq", head.Seq);
            w.WriteString("hash", head.Hash);
            if (head.Time is { } at) w.WriteString("entry_time", ReadMessage.FormatTime(at));
            w.WriteString("published_at", ReadMessage.FormatTime(publishedAt));
            w.WriteString("unit_key_id", unitKeyId);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
