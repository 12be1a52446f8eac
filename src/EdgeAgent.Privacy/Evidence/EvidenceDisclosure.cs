using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Policy;

namespace EdgeAgent.Privacy.Evidence;

/// <summary>
/// Answers evidence requests. A recipient asks on {its topic root}/evidence/request — the broker's ACL lets
/// only that recipient publish there, so the topic names who asks — and gets the answer on
/// {its topic root}/evidence/response. Images leave only when the policy in force lets that recipient have
/// evidence, and only after the disclosure is in the audit log; every refusal is audited too.
/// </summary>
public sealed partial class EvidenceDisclosure(IEvidenceStore store, IAuditLog audit, PolicyStore policy, string site, IReadOnlyList<string> cameras)
{
    public EvidenceDisclosure(IEvidenceStore store, IAuditLog audit, PolicyStore policy, string site, string camera)
        : this(store, audit, policy, site, [camera])
    {
    }

    public const string RequestSuffix = "/evidence/request";
    public const string ResponseSuffix = "/evidence/response";
    private const int MaxRequestBytes = 4096;

    public long Disclosed => Interlocked.Read(ref _disclosed);
    public long Refused => Interlocked.Read(ref _refused);
    private long _disclosed, _refused;

    /// <summary>The request topics of every recipient of the policy in force, for each camera (refusals are answered too).</summary>
    public IEnumerable<string> RequestTopics() =>
        policy.Current.Recipients.SelectMany(r => cameras.Select(c => r.Root(site, c) + RequestSuffix)).Distinct(StringComparer.Ordinal);

    /// <summary>The answer (topic, JSON) to a request on <paramref name="topic"/>, or null when that is no recipient's request topic.</summary>
    public (string Topic, byte[] Payload)? Answer(string topic, ReadOnlySpan<byte> payload)
    {
        if (!topic.EndsWith(RequestSuffix, StringComparison.Ordinal)) return null;
        string root = topic[..^RequestSuffix.Length];
        SharingPolicy inForce = policy.Current;
        Recipient? recipient = inForce.Recipients.FirstOrDefault(r => cameras.Any(c => r.Root(site, c) == root));
        if (recipient is null) return null;   // a recipient of an earlier policy: no answer at all
        string responseTopic = root + ResponseSuffix;

        if (!TryParse(payload, out string requestId, out string readId, out bool wantPlate, out bool wantOverview, out string? problem))
            return (responseTopic, Refuse(recipient, requestId, readId, "invalid", problem!));
        if (!recipient.Evidence)
            return (responseTopic, Refuse(recipient, requestId, readId, "refused",
                $"the sharing policy in force (version {inForce.Version}) does not let recipient '{recipient.Name}' have evidence"));
        EvidenceRecord? evidence = store.Find(readId);
        if (evidence is null)
            return (responseTopic, Refuse(recipient, requestId, readId, "not_found", "no evidence is kept for this read (never captured, or deleted at its retention time)"));

        byte[]? plate = wantPlate ? evidence.PlateJpeg : null;
        byte[]? overview = wantOverview ? evidence.OverviewJpeg : null;
        try
        {
            // Written (and fsynced) before a byte leaves: a disclosure that cannot be audited does not happen.
            audit.Append(AuditKinds.EvidenceDisclosed, new Dictionary<string, string>
            {
                ["recipient"] = recipient.Name,
                ["request_id"] = requestId,
                ["read_id"] = readId,
                ["images"] = string.Join(',', new[] { plate is null ? null : "plate", overview is null ? null : "overview" }.Where(i => i is not null)),
                ["plate_sha256"] = plate is null ? "" : Convert.ToHexStringLower(SHA256.HashData(plate)),
                ["overview_sha256"] = overview is null ? "" : Convert.ToHexStringLower(SHA256.HashData(overview)),
                ["bytes"] = ((plate?.Length ?? 0) + (overview?.Length ?? 0)).ToString(CultureInfo.InvariantCulture),
                ["policy_version"] = inForce.Version.ToString(CultureInfo.InvariantCulture),
            });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _refused);
            return (responseTopic, Response(requestId, readId, "refused", "the audit log cannot be written, so nothing is disclosed: " + e.Message, null));
        }
        Interlocked.Increment(ref _disclosed);
        return (responseTopic, Response(requestId, readId, "ok", null, w =>
        {
            w.WriteString("captured_at", ReadMessage.FormatTime(evidence.CapturedAt));
            if (plate is not null) w.WriteBase64String("plate_jpeg", plate);
            if (overview is not null) w.WriteBase64String("overview_jpeg", overview);
            w.WritePropertyName("redaction");
            w.WriteRawValue(evidence.Redaction);
        }));
    }

    private byte[] Refuse(Recipient recipient, string requestId, string readId, string status, string reason)
    {
        Interlocked.Increment(ref _refused);
        try
        {
            audit.Append(AuditKinds.EvidenceRefused, new Dictionary<string, string>
            {
                ["recipient"] = recipient.Name,
                ["request_id"] = requestId,
                ["read_id"] = readId,
                ["status"] = status,
                ["reason"] = reason,
            });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            reason += " (and the refusal could not be audited: " + e.Message + ")";
        }
        return Response(requestId, readId, status, reason, null);
    }

    private static byte[] Response(string requestId, string readId, string status, string? reason, Action<Utf8JsonWriter>? body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", ReadMessage.Version);
            w.WriteString("request_id", requestId);
            w.WriteString("read_id", readId);
            w.WriteString("status", status);
            if (reason is not null) w.WriteString("reason", reason);
            body?.Invoke(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    // {"v":1,"request_id":"…","read_id":"<ULID>","images":["plate","overview"]}; images is optional (both).
    private static bool TryParse(ReadOnlySpan<byte> payload, out string requestId, out string readId, out bool plate, out bool overview, out string? problem)
    {
        requestId = "";
        readId = "";
        plate = overview = true;
        problem = null;
        if (payload.Length > MaxRequestBytes)
        {
            problem = $"the request is {payload.Length} bytes; at most {MaxRequestBytes}";
            return false;
        }
        try
        {
            using JsonDocument doc = JsonDocument.Parse(payload.ToArray());
            JsonElement r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) problem = "the request is not a JSON object";
            else
            {
                if (r.TryGetProperty("request_id", out JsonElement q) && q.ValueKind == JsonValueKind.String && RequestIdPattern().IsMatch(q.GetString()!))
                    requestId = q.GetString()!;
                else problem = "'request_id' must be 1-64 characters A-Z, a-z, 0-9, '-' or '_'";
                if (r.TryGetProperty("read_id", out JsonElement id) && id.ValueKind == JsonValueKind.String && Ulid.TryParse(id.GetString(), out _))
                    readId = id.GetString()!;
                else problem ??= "'read_id' must be the id (ULID) of a read";
                if (r.TryGetProperty("images", out JsonElement images))
                {
                    plate = overview = false;
                    if (images.ValueKind != JsonValueKind.Array) problem ??= "'images' must be a list of \"plate\" and/or \"overview\"";
                    else
                    {
                        foreach (JsonElement image in images.EnumerateArray())
                        {
                            switch (image.ValueKind == JsonValueKind.String ? image.GetString() : null)
                            {
                                case "plate": plate = true; break;
                                case "overview": overview = true; break;
                                default: problem ??= $"'images' holds {image.GetRawText()}; only \"plate\" and \"overview\" exist"; break;
                            }
                        }
                        if (!plate && !overview) problem ??= "'images' is empty";
                    }
                }
            }
        }
        catch (JsonException e)
        {
            problem = $"the request is not valid JSON ({e.Message})";
        }
        return problem is null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RequestIdPattern();
}
