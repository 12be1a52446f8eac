namespace EdgeAgent.FaultTests;

/// <summary>
/// How big the long fault runs are. CI runs them small so the suite stays fast (a 40-pass replay, a 10 s broker
/// outage, 3 kills); the acceptance figures come from tools/faults.sh, which sets EDGEAGENT_FAULTS=full for the
/// issue's sizes (a 200-pass replay, a 35 s outage, 10 kills). Same tests, same assertions, either size.
/// </summary>
public static class FaultScale
{
    public const string Variable = "EDGEAGENT_FAULTS";

    public static bool Full => string.Equals(Environment.GetEnvironmentVariable(Variable), "full", StringComparison.OrdinalIgnoreCase);

    /// <summary>Vehicle passes in the replayed video.</summary>
    public static int Passes => Full ? 200 : 40;

    /// <summary>How long the broker stays dead.</summary>
    public static TimeSpan Outage => TimeSpan.FromSeconds(Full ? 35 : 10);

    /// <summary>Reads to see delivered before the broker is killed, so the outage falls mid-replay.</summary>
    public static int ReadsBeforeOutage => Full ? 15 : 5;

    /// <summary>SIGKILLs of the agent, each at a random moment of its own run.</summary>
    public static int Kills => Full ? 10 : 3;

    /// <summary>Named in every figure, so a quick CI figure is never taken for an acceptance one.</summary>
    public static string Name => Full ? "full" : "quick (CI; tools/faults.sh for full size)";
}
