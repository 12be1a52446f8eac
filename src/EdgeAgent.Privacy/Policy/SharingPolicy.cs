using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

using EdgeAgent.Core.Contract;

namespace EdgeAgent.Privacy.Policy;

/// <summary>
/// One party that may receive reads: where they go (<see cref="TopicRoot"/>, with {site} and {camera}
/// filled in; reads on TopicRoot/read), which fields of the read it gets, and whether it may ask for
/// evidence images (on TopicRoot/evidence/request).
/// </summary>
public sealed record Recipient(string Name, string TopicRoot, IReadOnlySet<string> Fields, bool Evidence)
{
    public string Root(string site, string camera) =>
        TopicRoot.Replace("{site}", site, StringComparison.Ordinal).Replace("{camera}", camera, StringComparison.Ordinal);
}

/// <summary>
/// Who may receive what (ARCHITECTURE.md, privacy model). The built-in <see cref="Default"/> (version 0)
/// sends the charging recipient the charging fields and nobody evidence; any other policy must be signed
/// by the authority key (<see cref="PolicyDocument"/>) and carry a higher version than the one in force.
/// </summary>
public sealed partial record SharingPolicy(int Version, DateTimeOffset? IssuedAt, string Issuer, IReadOnlyList<Recipient> Recipients)
{
    public const string Format = "edgeagent-policy/1";
    public const string DefaultTopicRoot = "anpr/v1/{site}/{camera}";
    private const int MaxRecipients = 16;

    /// <summary>The policy before any signed one is accepted: the charging recipient only, no evidence.</summary>
    public static SharingPolicy Default { get; } = new(0, null, "built-in default",
        [new Recipient("charging", DefaultTopicRoot, ReadFields.ChargingDefault, Evidence: false)]);

    /// <summary>A short digest of the policy's canonical content (names it in the audit log).</summary>
    public string Digest { get; init; } = "default";

    public Recipient? Find(string name) => Recipients.FirstOrDefault(r => r.Name == name);

    /// <summary>Reads a policy object (the "policy" member of a signed document); throws <see cref="PolicyException"/> listing every problem.</summary>
    public static SharingPolicy Parse(JsonElement policy)
    {
        var problems = new List<string>();
        if (policy.ValueKind != JsonValueKind.Object) throw new PolicyException(["the policy is not a JSON object"]);
        foreach (JsonProperty p in policy.EnumerateObject())
            if (p.Name is not ("format" or "version" or "issued_at" or "issuer" or "recipients"))
                problems.Add($"'{p.Name}' is not a policy field (known: format, version, issued_at, issuer, recipients)");

        if (!policy.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            problems.Add($"'format' must be \"{Format}\"");
        int version = 0;
        if (!policy.TryGetProperty("version", out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out version) || version < 1)
            problems.Add("'version' must be a whole number of at least 1 (each new policy takes a higher one)");
        DateTimeOffset? issuedAt = null;
        if (policy.TryGetProperty("issued_at", out JsonElement issued))
        {
            if (issued.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(issued.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
                issuedAt = at;
            else problems.Add("'issued_at' must be a date and time such as 2026-11-23T10:00:00Z");
        }
        string issuer = policy.TryGetProperty("issuer", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";

        var recipients = new List<Recipient>();
        if (!policy.TryGetProperty("recipients", out JsonElement list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            problems.Add("'recipients' must be a non-empty list (at least the charging recipient)");
        else if (list.GetArrayLength() > MaxRecipients)
            problems.Add($"'recipients' lists {list.GetArrayLength()}; at most {MaxRecipients}");
        else
        {
            int n = 0;
            foreach (JsonElement r in list.EnumerateArray()) ParseRecipient(r, n++, recipients, problems);
        }
        foreach (var dup in recipients.GroupBy(r => r.Name).Where(g => g.Count() > 1))
            problems.Add($"recipient name '{dup.Key}' is used twice");
        foreach (var dup in recipients.GroupBy(r => r.TopicRoot).Where(g => g.Count() > 1))
            problems.Add($"topic root '{dup.Key}' is used by {string.Join(" and ", dup.Select(r => r.Name))}: each recipient needs its own");

        if (problems.Count > 0) throw new PolicyException(problems);
        string digest = Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Bytes(policy)))[..16];
        return new SharingPolicy(version, issuedAt, issuer, recipients) { Digest = digest };
    }

    private static void ParseRecipient(JsonElement r, int index, List<Recipient> recipients, List<string> problems)
    {
        string at = $"recipients[{index}]";
        if (r.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{at} is not an object");
            return;
        }
        int before = problems.Count;
        foreach (JsonProperty p in r.EnumerateObject())
            if (p.Name is not ("name" or "topic_root" or "fields" or "evidence"))
                problems.Add($"{at}.{p.Name} is not a recipient field (known: name, topic_root, fields, evidence)");
        string name = r.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (!NamePattern().IsMatch(name)) problems.Add($"{at}.name '{name}' must be 1-32 characters a-z, 0-9 or '-'");
        string root = r.TryGetProperty("topic_root", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        if (CheckTopicRoot(root) is { } rootProblem) problems.Add($"{at}.topic_root '{root}' {rootProblem}");
        var fields = new HashSet<string>(StringComparer.Ordinal);
        if (!r.TryGetProperty("fields", out JsonElement f) || f.ValueKind != JsonValueKind.Array)
            problems.Add($"{at}.fields must be a list of read fields ({string.Join(", ", ReadFields.Grantable.Order(StringComparer.Ordinal))})");
        else
        {
            foreach (JsonElement field in f.EnumerateArray())
            {
                string value = field.ValueKind == JsonValueKind.String ? field.GetString()! : field.GetRawText();
                if (ReadFields.Always.Contains(value)) continue;  // sent to everyone anyway
                if (!ReadFields.Grantable.Contains(value))
                    problems.Add($"{at}.fields names '{value}', which is not a field of the v1 read (known: {string.Join(", ", ReadFields.Grantable.Order(StringComparer.Ordinal))})");
                else fields.Add(value);
            }
        }
        bool evidence = false;
        if (r.TryGetProperty("evidence", out JsonElement e))
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) evidence = e.GetBoolean();
            else problems.Add($"{at}.evidence must be true or false");
        }
        if (problems.Count == before) recipients.Add(new Recipient(name, root, fields, evidence));
    }

    /// <summary>Null when <paramref name="root"/> is a usable topic root, else what is wrong with it.</summary>
    public static string? CheckTopicRoot(string root) =>
        string.IsNullOrWhiteSpace(root) ? "is empty"
        : root.IndexOfAny(['+', '#', '\0']) >= 0 ? "contains an MQTT wildcard (+ or #) or NUL"
        : root.StartsWith('/') || root.EndsWith('/') || root.Contains("//", StringComparison.Ordinal) ? "must not start or end with '/' or hold an empty level"
        : root.Length > 128 ? "is longer than 128 characters"
        : null;

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex NamePattern();
}

/// <summary>A policy is malformed; one message per problem.</summary>
public sealed class PolicyException : Exception
{
    public PolicyException(IReadOnlyList<string> problems) : base(string.Join("; ", problems)) => Problems = problems;
    public PolicyException(string message) : this([message]) { }
    public PolicyException() : this("invalid policy") { }
    public PolicyException(string message, Exception inner) : base(message, inner) => Problems = [message];

    public IReadOnlyList<string> Problems { get; } = [];
}
