using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeAgent.BackendSample;

/// <summary>What the backend knows of one unit (site/camera): its counts, its status and its last health.</summary>
public sealed class UnitView
{
    public long Reads { get; set; }
    public long Historical { get; set; }
    public long Duplicates { get; set; }
    public long Invalid { get; set; }
    public string? LastReadAt { get; set; }
    public string State { get; set; } = "unknown";
    public string? StateSince { get; set; }
    public string? AgentVersion { get; set; }
    public string? Profile { get; set; }
    public string? Health { get; set; }
    public string? HealthAt { get; set; }
}

/// <summary>
/// The fleet as the backend sees it. Takes validated messages; keeps counts per camera, the retained status
/// (online, offline after the Last Will, offline "stopped" after an orderly stop) and a one-line digest of
/// the latest health report.
/// </summary>
public sealed class FleetView
{
    private readonly SortedDictionary<string, UnitView> _units = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, UnitView> Units => _units;
    public long InvalidTotal => _units.Values.Sum(u => u.Invalid) + UnknownTopics;
    public long UnknownTopics { get; set; }

    public UnitView Unit(TopicParts topic)
    {
        if (!_units.TryGetValue(topic.Unit, out UnitView? unit)) _units[topic.Unit] = unit = new UnitView();
        return unit;
    }

    /// <summary>A read that passed the schema and the duplicate filter.</summary>
    public string OnRead(TopicParts topic, JsonElement read)
    {
        UnitView unit = Unit(topic);
        unit.Reads++;
        bool historical = read.GetProperty("historical").GetBoolean();
        if (historical) unit.Historical++;
        unit.LastReadAt = Text(read, "time");
        string hash = Text(read, "plate_hash") is { Length: > 12 } h ? h[..12] + "…" : "(not granted)";
        return $"read    {topic.Unit,-24} {read.GetProperty("id").GetString()} lane {Text(read, "lane") ?? "-"} {Text(read, "direction") ?? ""} " +
               $"hash {hash} conf {Number(read, "confidence")}{(historical ? " historical" : "")}";
    }

    public string OnStatus(TopicParts topic, JsonElement status, bool retained)
    {
        UnitView unit = Unit(topic);
        unit.State = Text(status, "state") + (Text(status, "reason") is { } reason ? $" ({reason})" : "");
        unit.StateSince = Text(status, "since");
        if (Text(status, "agent_version") is { } version) unit.AgentVersion = version;
        if (Text(status, "profile") is { } profile) unit.Profile = profile;
        return $"status  {topic.Unit,-24} {unit.State}{(unit.AgentVersion is null ? "" : $" agent {unit.AgentVersion}")}" +
               $"{(unit.Profile is null ? "" : $" profile {unit.Profile}")}{(unit.StateSince is null ? "" : $" since {unit.StateSince}")}{(retained ? " (retained)" : "")}";
    }

    public string OnHealth(TopicParts topic, JsonElement health)
    {
        UnitView unit = Unit(topic);
        JsonElement outbox = health.GetProperty("outbox"), clock = health.GetProperty("clock"), link = health.GetProperty("link");
        string cameras = string.Join(",", health.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("state").GetString()));
        if (cameras.Length == 0) cameras = "-";
        string oldest = outbox.GetProperty("oldest_unsent_age_s").ValueKind == JsonValueKind.Number
            ? string.Create(CultureInfo.InvariantCulture, $" oldest {outbox.GetProperty("oldest_unsent_age_s").GetDouble():0}s") : "";
        string disk = health.GetProperty("disk").GetProperty("free_bytes") is { ValueKind: JsonValueKind.Number } free
            ? string.Create(CultureInfo.InvariantCulture, $"{free.GetInt64() / 1e9:0.#} GB free") : "disk ?";
        unit.Health = string.Create(CultureInfo.InvariantCulture,
            $"{health.GetProperty("frames").GetProperty("per_second").GetDouble():0.0} fps, camera {cameras}, outbox {outbox.GetProperty("depth").GetInt64()}{oldest}, {disk}, " +
            $"clock {(clock.GetProperty("synced").GetBoolean() ? "synced" : "UNSYNCED")} ({Text(clock, "source")}), link {(link.GetProperty("tls").GetBoolean() ? "tls" : "plain")}");
        unit.HealthAt = Text(health, "time");
        return $"health  {topic.Unit,-24} {unit.Health}";
    }

    /// <summary>The table a control room would watch: one row per unit.</summary>
    public string Table()
    {
        var rows = new List<string[]> { new[] { "unit", "reads", "historical", "duplicates", "invalid", "status", "last health" } };
        rows.AddRange(_units.Select(u => new[]
        {
            u.Key, u.Value.Reads.ToString(CultureInfo.InvariantCulture), u.Value.Historical.ToString(CultureInfo.InvariantCulture),
            u.Value.Duplicates.ToString(CultureInfo.InvariantCulture), u.Value.Invalid.ToString(CultureInfo.InvariantCulture),
            u.Value.State, u.Value.Health ?? "-",
        }));
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (string[] row in rows)
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        if (UnknownTopics > 0) text.AppendLine(CultureInfo.InvariantCulture, $"({UnknownTopics} messages on topics outside anpr/v1/{{site}}/{{camera}}/{{kind}})");
        return text.ToString();
    }

    /// <summary>The same as JSON, for scripts (and the sample's tests).</summary>
    public string Json()
    {
        var units = new JsonObject();
        foreach (var (name, u) in _units)
        {
            units[name] = new JsonObject
            {
                ["reads"] = u.Reads, ["historical"] = u.Historical, ["duplicates"] = u.Duplicates, ["invalid"] = u.Invalid,
                ["state"] = u.State, ["agent_version"] = u.AgentVersion, ["profile"] = u.Profile, ["health"] = u.Health,
            };
        }
        return new JsonObject { ["units"] = units, ["unknown_topics"] = UnknownTopics }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
