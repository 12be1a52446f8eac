using System.Buffers;
using System.Text.Json;

namespace EdgeAgent.Privacy.Policy;

/// <summary>
/// The bytes a policy signature covers: the JSON value written compactly, object members in ordinal order
/// of their names, numbers exactly as written. Whitespace and member order in the file therefore do not
/// matter; any change of a name or value does.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Bytes(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter w, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonProperty p in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    // A repeated name would let the signer and a reader see different values: refuse it.
                    if (!names.Add(p.Name)) throw new FormatException($"member '{p.Name}' appears twice");
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (JsonElement item in value.EnumerateArray()) Write(w, item);
                w.WriteEndArray();
                break;
            case JsonValueKind.String:
                w.WriteStringValue(value.GetString());
                break;
            case JsonValueKind.Number:
                w.WriteRawValue(value.GetRawText(), skipInputValidation: true);
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                w.WriteBooleanValue(value.GetBoolean());
                break;
            case JsonValueKind.Null:
                w.WriteNullValue();
                break;
            default:
                throw new FormatException($"unexpected JSON value {value.ValueKind}");
        }
    }
}
