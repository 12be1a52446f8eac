using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Privacy.Policy;
using EdgeAgent.Settings;
using EdgeAgent.Transport;

namespace EdgeAgent.Hosting;

/// <summary>
/// Keeps the sharing policy current: offers Privacy:PolicyFile at start and whenever the file changes
/// (checked every few seconds), and offers what arrives on the MQTT policy topic. Every decision is
/// logged; the store audits it and keeps the old policy on a refusal.
/// </summary>
public sealed partial class PolicyService(PrivacySettings settings, PolicyStore store, ILogger<PolicyService> logger) : BackgroundService
{
    private static readonly TimeSpan FileCheck = TimeSpan.FromSeconds(5);

    public PolicyStore Store => store;

    public PolicyDecision Offer(ReadOnlySpan<byte> document, string source)
    {
        PolicyDecision decision = store.Offer(document, source);
        if (!decision.Accepted) Log.Refused(logger, decision.Message);
        else if (decision.Changed) Log.Accepted(logger, decision.Message);
        return decision;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.LoadProblem is { } problem) Log.LoadProblem(logger, problem);
        string file = settings.PolicyFile;
        (DateTime, long) seen = default;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (file.Length > 0)
            {
                try
                {
                    var info = new FileInfo(file);
                    if (info.Exists && (info.LastWriteTimeUtc, info.Length) != seen)
                    {
                        seen = (info.LastWriteTimeUtc, info.Length);
                        Offer(await File.ReadAllBytesAsync(file, stoppingToken).ConfigureAwait(false), "file " + info.FullName);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    Log.FileFailed(logger, file, e.Message);
                }
            }
            SharingPolicy current = store.Current;
            if (!ReferenceEquals(current, _logged))
            {
                _logged = current;
                Log.InForce(logger, current.Version, PolicyStore.Describe(current));
            }
            await Task.Delay(FileCheck, stoppingToken).ConfigureAwait(false);
        }
    }

    private SharingPolicy? _logged;

    private static partial class Log
    {
        [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Sharing policy version {Version} in force: {Recipients}")]
        public static partial void InForce(ILogger logger, int version, string recipients);

        [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "{Message}")]
        public static partial void Accepted(ILogger logger, string message);

        [LoggerMessage(EventId = 5022, Level = LogLevel.Error, Message = "{Message}")]
        public static partial void Refused(ILogger logger, string message);

        [LoggerMessage(EventId = 5023, Level = LogLevel.Error, Message = "{Problem}")]
        public static partial void LoadProblem(ILogger logger, string problem);

        [LoggerMessage(EventId = 5024, Level = LogLevel.Error, Message = "The policy file {File} could not be read: {Reason}")]
        public static partial void FileFailed(ILogger logger, string file, string reason);
    }
}

/// <summary>The forwarder's routes for the policy in force: one per recipient, rebuilt only when the policy changes.</summary>
public sealed class PolicyRoutes(PolicyStore store, string site)
{
    private (SharingPolicy Policy, IReadOnlyList<ReadRoute> Routes)? _cached;

    public IReadOnlyList<ReadRoute> Current()
    {
        SharingPolicy policy = store.Current;
        var cached = _cached;
        if (cached is { } c && ReferenceEquals(c.Policy, policy)) return c.Routes;
        // "{camera}" stays in the topic: the forwarder puts each read's own camera there (several cameras per unit).
        IReadOnlyList<ReadRoute> routes = policy.Recipients.Select(r => new ReadRoute(r.Name, r.Root(site, "{camera}") + "/read", r.Fields)).ToArray();
        _cached = (policy, routes);
        return routes;
    }
}
