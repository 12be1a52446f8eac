using System.Globalization;

using EdgeAgent.TestSupport;

using Xunit.Abstractions;

namespace EdgeAgent.FaultTests;

[Trait("Category", "Integration")]
public sealed class BrokerOutageTests(ITestOutputHelper output) : IDisposable
{
    private const double DrainRate = 20;
    private readonly FaultRig _rig = new(output);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Replay_BrokerKilledMidway_EveryReadArrivesBacklogDrainsOldestFirstAtTheBoundedRate()
    {
        string video = await FaultVideos.ReplayAsync();
        await using var broker = await MosquittoBroker.StartAsync();
        var before = await MqttCapture.StartAsync(broker, "anpr/v1/#");
        using var agent = AgentHandle.Start(
            ["replay", video, "--drain-timeout", "600", $"--Mqtt:DrainRatePerSecond={DrainRate.ToString(CultureInfo.InvariantCulture)}",
             "--Logging:LogLevel:EdgeAgent.Hosting.ReadRecorder=Debug", .. _rig.Settings(broker)],
            _rig.Folder);

        // The outage starts once reads flow, so it falls in the middle of the replay.
        await before.WaitForAsync(all => FaultRig.Reads(all).Count() >= FaultScale.ReadsBeforeOutage, TimeSpan.FromMinutes(5));
        broker.Kill();
        DateTimeOffset killedAt = DateTimeOffset.UtcNow;
        var committedBeforeKill = Committed(agent.Output);
        await before.DisposeAsync();
        await Task.Delay(FaultScale.Outage);
        Assert.False(agent.HasExited, "the agent must ride out the outage:\n" + agent.Output);
        var committedBeforeRestart = Committed(agent.Output);
        await broker.RestartAsync();
        DateTimeOffset restartedAt = DateTimeOffset.UtcNow;
        // A fresh subscriber at once: the agent's reconnect backoff is a second or more by now.
        await using var after = await MqttCapture.StartAsync(broker, "anpr/v1/#");

        int exit = await agent.WaitForExitAsync(TimeSpan.FromMinutes(12));
        var afterMessages = await after.WaitForAsync(all => all.Any(m => m.Text.Contains("\"stopped\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        Assert.True(exit == 0, agent.Output);

        var received = FaultRig.Reads(before.Messages).Concat(FaultRig.Reads(afterMessages)).ToList();
        var rows = OutboxFile.Rows(_rig.OutboxPath);
        var receivedIds = received.Select(FaultRig.Id).ToHashSet();
        var missing = rows.Where(r => !receivedIds.Contains(r.Id)).ToList();
        // Held back by the outage: committed before the restart (the agent's debug log of each commit, read before
        // the restart; the console logger lags under load, so a late line only leaves a read out) and not received
        // before the kill. Each of these must come after the restart, flagged historical.
        var receivedBeforeKill = FaultRig.Reads(before.Messages).Select(FaultRig.Id).ToHashSet();
        var outageRows = rows.Where(r => committedBeforeRestart.Contains(r.Seq) && !receivedBeforeKill.Contains(r.Id)).ToList();
        int committedDuringOutage = committedBeforeRestart.Except(committedBeforeKill).Count();
        int duplicates = received.Count - receivedIds.Count;

        // The backlog: what arrived after the restart flagged historical, in the order it came.
        var seqById = rows.ToDictionary(r => r.Id, r => r.Seq);
        var backlog = FaultRig.Reads(afterMessages).Where(FaultRig.Historical).ToList();
        var backlogSeqs = backlog.Select(m => seqById[FaultRig.Id(m)]).ToList();
        double drainSeconds = backlog.Count > 1 ? (backlog[^1].ReceivedAt - backlog[0].ReceivedAt).TotalSeconds : 0;
        double drainRate = drainSeconds > 0 ? (backlog.Count - 1) / drainSeconds : 0;

        var historicalIds = backlog.Select(FaultRig.Id).ToHashSet();
        int heldBackArrived = outageRows.Count(r => historicalIds.Contains(r.Id));

        _rig.Figure($"broker outage [{FaultScale.Name}]: {rows.Count} reads committed from the {FaultScale.Passes}-pass replay, {receivedIds.Count} distinct delivered, {missing.Count} missing, " +
                    $"{duplicates} duplicate deliveries (same id), outage {(restartedAt - killedAt).TotalSeconds:0.0} s with about {committedDuringOutage} reads committed during it " +
                    $"and {outageRows.Count} held back by it ({heldBackArrived} of them sent after the restart as historical): backlog {backlog.Count} historical reads drained in {drainSeconds:0.0} s " +
                    $"({drainRate:0.0}/s overall: a burst of 20, then at most {DrainRate}/s), agent run {agent.Elapsed.TotalSeconds:0} s");

        Assert.True(rows.Count >= FaultScale.Passes * 3 / 4, $"the {FaultScale.Passes}-pass replay committed only {rows.Count} reads");
        Assert.Empty(missing);
        Assert.All(rows, r => Assert.NotNull(r.DeliveredAt));
        Assert.NotEmpty(outageRows);
        Assert.All(outageRows, r => Assert.Contains(r.Id, historicalIds));
        Assert.Equal(backlogSeqs.Order(), backlogSeqs.Distinct());   // oldest first, each once
        // The token bucket lets a burst of up to 20 through at once, then DrainRate per second.
        Assert.True(backlog.Count >= outageRows.Count);
        Assert.True(backlog.Count <= 21 || drainSeconds >= (backlog.Count - 21) / DrainRate * 0.9,
            $"backlog of {backlog.Count} drained in {drainSeconds:0.0} s: faster than {DrainRate}/s");

        var health = FaultRig.Health(before.Messages.Concat(afterMessages)).ToList();
        Assert.NotEmpty(health);
        await FaultRig.AssertMatchesHealthSchemaAsync(health);
        Assert.Contains(FaultRig.Health(afterMessages), h => h.Text.Contains("\"reconnects\":1", StringComparison.Ordinal));
    }

    private static HashSet<long> Committed(string log) =>
        System.Text.RegularExpressions.Regex.Matches(log, @"committed as #(\d+)").Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
}
