using EdgeAgent.Core.Contract;

namespace EdgeAgent.Transport;

/// <summary>How the store-and-forward publisher behaves. The broker itself is in MosquittoClientOptions.</summary>
public sealed record ReadForwarderOptions
{
    /// <summary>Reads published and not yet acknowledged (PUBACK), at most.</summary>
    public int MaxInFlight { get; init; } = 20;

    /// <summary>Upper bound on backlog (historical) publishes per second, so a reconnect after a long outage does not flood the link.</summary>
    public double DrainRatePerSecond { get; init; } = 50;

    /// <summary>A read older than this when published is flagged historical (as is any read committed before the current connection).</summary>
    public TimeSpan HistoricalAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The fields the read topic's recipient may receive (the sharing policy); the contract's Always fields go regardless.</summary>
    public IReadOnlySet<string> AllowedFields { get; init; } = ReadFields.ChargingDefault;

    /// <summary>
    /// The recipients of the sharing policy in force, asked before each batch (a new policy applies from the
    /// next read sent). Null: one recipient, the read topic with <see cref="AllowedFields"/>.
    /// </summary>
    public Func<IReadOnlyList<ReadRoute>>? Routes { get; init; }

    /// <summary>The periodic check besides <see cref="ReadForwarder.Nudge"/>: nothing waits longer than this.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>For the birth message (status "online").</summary>
    public string AgentVersion { get; init; } = "0.0.0";

    /// <summary>The hardware profile name, for the birth message.</summary>
    public string Profile { get; init; } = "";

    /// <summary>On a graceful stop: how long to wait for outstanding PUBACKs and the "stopped" status to be acknowledged.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Disconnected longer than this, the connection is started afresh. libmosquitto retries on its own, but its
    /// network thread gives up for good on some errors (a refused CONNACK, a TLS failure) and nothing else would notice.
    /// </summary>
    public TimeSpan ReconnectWatchdog { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long after a PUBACK with a failure reason (e.g. not authorised) the read is tried again.</summary>
    public TimeSpan RetryAfterRejection { get; init; } = TimeSpan.FromSeconds(5);

    public string? Validate() =>
        MaxInFlight is < 1 or > 65535 ? $"MaxInFlight {MaxInFlight} is outside 1..65535"
        : !(DrainRatePerSecond > 0) ? $"DrainRatePerSecond {DrainRatePerSecond} must be positive"
        : HistoricalAfter <= TimeSpan.Zero ? "HistoricalAfter must be positive"
        : CheckInterval <= TimeSpan.Zero ? "CheckInterval must be positive"
        : StopTimeout < TimeSpan.Zero ? "StopTimeout cannot be negative"
        : ReconnectWatchdog <= TimeSpan.Zero ? "ReconnectWatchdog must be positive"
        : AllowedFields is null ? "AllowedFields is null"
        : AllowedFields.FirstOrDefault(f => !ReadFields.Grantable.Contains(f) && !ReadFields.Always.Contains(f)) is { } unknown
            ? $"AllowedFields names '{unknown}', which is not a field of the v1 read message"
        : null;
}

/// <summary>A snapshot of the forwarder for health reports.</summary>
public sealed record ForwarderStatus(
    bool Connected,
    long Published,
    long Acknowledged,
    int InFlight,
    long Reconnects,
    long Rejected,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? ConnectedSince);
