using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

using EdgeAgent.Core.Ports;

namespace EdgeAgent.Storage.Audit;

/// <summary>
/// The audit chain's format (v1), one JSON object per line:
/// <c>{"seq":1,"time":"…Z","kind":"policy.accepted","details":{…},"prev":"…","hash":"…"}</c>.
/// <c>hash</c> is the lower-case hex SHA-256 of the same object without its <c>hash</c> member, written
/// compactly with the details' keys in ordinal order; <c>prev</c> is the hash of the entry before (64 zeros
/// for the first). Editing, removing or reordering an entry breaks the chain at that entry; an outside
/// party holding a published head also notices entries cut from the end.
/// </summary>
public static class AuditChain
{
    /// <summary>Longest line written (and read): an entry is a few ids and counts, never a payload.</summary>
    public const int MaxLineBytes = 16 * 1024;

    /// <summary>Builds the entry that follows <paramref name="head"/>.</summary>
    public static AuditEntry Next(AuditHead head, DateTimeOffset time, string kind, IReadOnlyDictionary<string, string> details)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(details);
        // Millisecond precision: the time is written that way, and the hash must cover what is written.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in details) sorted[key] = value ?? "";
        string hash = ComputeHash(head.Seq + 1, at, kind, sorted, head.Hash);
        return new AuditEntry(head.Seq + 1, at, kind, sorted, head.Hash, hash);
    }

    /// <summary>The entry as one line of the log, with its trailing newline.</summary>
    public static byte[] Encode(AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteBody(w, entry.Seq, entry.Time, entry.Kind, entry.Details, entry.PreviousHash);
            w.WriteString("hash", entry.Hash);
            w.WriteEndObject();
        }
        buffer.Write("\n"u8);
        if (buffer.WrittenCount > MaxLineBytes)
            throw new ArgumentException($"audit entry {entry.Kind} is {buffer.WrittenCount} bytes; entries hold ids and counts and must stay under {MaxLineBytes}");
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses one line (without its newline). Throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static AuditEntry Decode(ReadOnlySpan<byte> line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
            var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty p in Member(r, "details", JsonValueKind.Object).EnumerateObject())
                details[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new FormatException($"detail '{p.Name}' is not text");
            string time = Member(r, "time", JsonValueKind.String).GetString()!;
            return new AuditEntry(
                Member(r, "seq", JsonValueKind.Number).GetInt64(),
                DateTimeOffset.ParseExact(time, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Member(r, "kind", JsonValueKind.String).GetString()!,
                details,
                Member(r, "prev", JsonValueKind.String).GetString()!,
                Member(r, "hash", JsonValueKind.String).GetString()!);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>What the entry's hash should be, from its content.</summary>
    public static string ComputeHash(long seq, DateTimeOffset time, string kind, IReadOnlyDictionary<string, string> details, string previousHash)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteBody(w, seq, time, kind, details, previousHash);
            w.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>The hash the entry's content gives (differs from <see cref="AuditEntry.Hash"/> when it was edited).</summary>
    public static string Recompute(AuditEntry e) => ComputeHash(e.Seq, e.Time, e.Kind, e.Details, e.PreviousHash);

    private static void WriteBody(Utf8JsonWriter w, long seq, DateTimeOffset time, string kind, IReadOnlyDictionary<string, string> details, string prev)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", seq);
        w.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("kind", kind);
        w.WriteStartObject("details");
        foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteString("prev", prev);
    }

    private static JsonElement Member(JsonElement r, string name, JsonValueKind kind) =>
        r.TryGetProperty(name, out JsonElement value) && value.ValueKind == kind
            ? value
            : throw new FormatException($"'{name}' is missing or not a {kind.ToString().ToLowerInvariant()}");
}
