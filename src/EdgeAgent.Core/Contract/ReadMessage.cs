using System.Buffers;
using System.Globalization;
using System.Text.Json;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Contract;

/// <summary>
/// Writes and parses read events as JSON: the full form kept in the outbox, and the v1 message a recipient
/// gets, cut down to the fields its policy allows. Hand-written so the wire format is explicit and stable.
/// </summary>
public static class ReadMessage
{
    public const int Version = 1;

    /// <summary>The v1 message with only the allowed fields (plus <see cref="ReadFields.Always"/>).</summary>
    public static byte[] Encode(PlateReadEvent e, bool historical, IReadOnlySet<string>? allowed = null)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            bool Allowed(string field) => allowed is null || allowed.Contains(field);
            w.WriteStartObject();
            w.WriteNumber(ReadFields.Version, Version);
            w.WriteString(ReadFields.Id, e.Id);
            if (Allowed(ReadFields.Time)) w.WriteString(ReadFields.Time, FormatTime(e.Time));
            if (Allowed(ReadFields.Site)) w.WriteString(ReadFields.Site, e.Site);
            if (Allowed(ReadFields.Camera)) w.WriteString(ReadFields.Camera, e.Camera);
            if (Allowed(ReadFields.Lane)) w.WriteString(ReadFields.Lane, e.Lane);
            if (Allowed(ReadFields.Direction)) w.WriteString(ReadFields.Direction, e.Direction);
            if (Allowed(ReadFields.PlateHash)) w.WriteString(ReadFields.PlateHash, e.PlateHash);
            if (Allowed(ReadFields.KeyId)) w.WriteString(ReadFields.KeyId, e.KeyId);
            if (Allowed(ReadFields.Confidence)) w.WriteNumber(ReadFields.Confidence, Math.Round(e.Confidence, 3));
            if (Allowed(ReadFields.Layout)) w.WriteString(ReadFields.Layout, e.Layout.ToContractName());
            if (Allowed(ReadFields.GrammarMatch)) w.WriteBoolean(ReadFields.GrammarMatch, e.MatchesGrammar);
            if (Allowed(ReadFields.Clock))
            {
                w.WriteStartObject(ReadFields.Clock);
                w.WriteBoolean("synced", e.Clock.Synced);
                w.WriteNumber("offset_ms", Math.Round(e.Clock.OffsetMs, 3));
                w.WriteString("source", e.Clock.Source);
                w.WriteEndObject();
            }
            if (Allowed(ReadFields.Frames)) w.WriteNumber(ReadFields.Frames, e.Frames);
            // Present only on units that have the input: absent means "no trigger" / "no GPS", not false.
            if (e.Triggered is { } triggered && Allowed(ReadFields.Trigger)) w.WriteBoolean(ReadFields.Trigger, triggered);
            if (e.Position is { } position && Allowed(ReadFields.Position))
            {
                w.WriteStartObject(ReadFields.Position);
                w.WriteNumber("lat", Math.Round(position.Latitude, 6));
                w.WriteNumber("lon", Math.Round(position.Longitude, 6));
                w.WriteEndObject();
            }
            w.WriteBoolean(ReadFields.Historical, historical);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The full event as stored in the outbox (every field, historical false).</summary>
    public static string Serialize(PlateReadEvent e) => System.Text.Encoding.UTF8.GetString(Encode(e, historical: false));

    /// <summary>Parses a full event written by <see cref="Serialize"/>.</summary>
    public static PlateReadEvent Deserialize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        JsonElement r = doc.RootElement;
        JsonElement clock = r.GetProperty(ReadFields.Clock);
        return new PlateReadEvent
        {
            Id = r.GetProperty(ReadFields.Id).GetString()!,
            Time = DateTimeOffset.Parse(r.GetProperty(ReadFields.Time).GetString()!, CultureInfo.InvariantCulture),
            Site = r.GetProperty(ReadFields.Site).GetString()!,
            Camera = r.GetProperty(ReadFields.Camera).GetString()!,
            Lane = r.GetProperty(ReadFields.Lane).GetString()!,
            Direction = r.GetProperty(ReadFields.Direction).GetString()!,
            PlateHash = r.GetProperty(ReadFields.PlateHash).GetString()!,
            KeyId = r.GetProperty(ReadFields.KeyId).GetString()!,
            Confidence = r.GetProperty(ReadFields.Confidence).GetSingle(),
            Layout = PlateLayoutNames.FromContractName(r.GetProperty(ReadFields.Layout).GetString()!),
            MatchesGrammar = r.GetProperty(ReadFields.GrammarMatch).GetBoolean(),
            Clock = new ClockState(clock.GetProperty("synced").GetBoolean(), clock.GetProperty("offset_ms").GetDouble(),
                clock.GetProperty("source").GetString()!),
            Frames = r.GetProperty(ReadFields.Frames).GetInt32(),
            Triggered = r.TryGetProperty(ReadFields.Trigger, out JsonElement trigger) ? trigger.GetBoolean() : null,
            Position = r.TryGetProperty(ReadFields.Position, out JsonElement position)
                ? new GeoPosition(position.GetProperty("lat").GetDouble(), position.GetProperty("lon").GetDouble())
                : null,
        };
    }

    /// <summary>UTC with milliseconds, e.g. 2026-11-23T16:11:23.123Z.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
