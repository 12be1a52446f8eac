using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Reads;

/// <summary>
/// A read as it is stored and sent: the keyed hash of the plate and metadata, never the registration.
/// Built by the pseudonymiser from a <see cref="VehiclePass"/>; the contract's field names are in
/// <see cref="Contract.ReadFields"/>.
/// </summary>
public sealed record PlateReadEvent
{
    /// <summary>ULID: sortable, unique, stable across retries so the backend can drop duplicates.</summary>
    public required string Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string Site { get; init; }
    public required string Camera { get; init; }
    public required string Lane { get; init; }
    public required string Direction { get; init; }
    /// <summary>Lower-case hex HMAC-SHA256 of "CC:REGISTRATION" under the day key.</summary>
    public required string PlateHash { get; init; }
    /// <summary>Which day key made the hash (unit key id and local date), so the holder can re-derive it.</summary>
    public required string KeyId { get; init; }
    public required float Confidence { get; init; }
    public required PlateLayout Layout { get; init; }
    /// <summary>False when the read fits no known plate pattern.</summary>
    public required bool MatchesGrammar { get; init; }
    public required ClockState Clock { get; init; }
    /// <summary>Frames in which the plate was read.</summary>
    public required int Frames { get; init; }
    /// <summary>With a vehicle trigger (loop detector) fitted: whether a vehicle on the loop matched this pass.
    /// Null when the unit has no trigger.</summary>
    public bool? Triggered { get; init; }
    /// <summary>The unit's GPS position when the read was made; null without a GPS fix.</summary>
    public GeoPosition? Position { get; init; }
}

/// <summary>How far the box's clock can be trusted when a read is made.</summary>
public sealed record ClockState(bool Synced, double OffsetMs, string Source)
{
    public static readonly ClockState Unknown = new(false, 0, "unknown");
}
