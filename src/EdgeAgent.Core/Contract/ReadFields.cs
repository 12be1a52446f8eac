namespace EdgeAgent.Core.Contract;

/// <summary>
/// Field names of the v1 read message. A sharing policy lists which of these a recipient may receive;
/// <see cref="Always"/> go to every recipient because the contract needs them to work (version, dedupe
/// id, backlog flag). Names are part of the contract: never rename, only add.
/// </summary>
public static class ReadFields
{
    public const string Version = "v";
    public const string Id = "id";
    public const string Historical = "historical";
    public const string Time = "time";
    public const string Site = "site";
    public const string Camera = "camera";
    public const string Lane = "lane";
    public const string Direction = "direction";
    public const string PlateHash = "plate_hash";
    public const string KeyId = "key_id";
    public const string Confidence = "confidence";
    public const string Layout = "layout";
    public const string GrammarMatch = "grammar_match";
    public const string Clock = "clock";
    public const string Frames = "frames";
    public const string Trigger = "trigger";
    public const string Position = "position";

    public static readonly IReadOnlySet<string> Always = new HashSet<string>(StringComparer.Ordinal) { Version, Id, Historical };

    /// <summary>Every field a policy may grant.</summary>
    public static readonly IReadOnlySet<string> Grantable = new HashSet<string>(StringComparer.Ordinal)
    {
        Time, Site, Camera, Lane, Direction, PlateHash, KeyId, Confidence, Layout, GrammarMatch, Clock, Frames, Trigger, Position,
    };

    /// <summary>What the charging recipient receives by default (ARCHITECTURE.md, privacy model).</summary>
    public static readonly IReadOnlySet<string> ChargingDefault = new HashSet<string>(StringComparer.Ordinal)
    {
        PlateHash, KeyId, Time, Site, Camera, Lane, Direction, Confidence, Layout, Clock,
    };
}
