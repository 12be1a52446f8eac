using EdgeAgent.TestSupport;

using Xunit.Abstractions;

namespace EdgeAgent.FaultTests;

[Trait("Category", "Integration")]
public sealed class KillTests(ITestOutputHelper output) : IDisposable
{
    private readonly FaultRig _rig = new(output);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Replay_SigkilledAtRandomMoments_EveryCommittedReadDeliveredAndTheDatabaseIsSound()
    {
        string video = await FaultVideos.ReplayAsync();
        string clip = await FaultVideos.FourPassesAsync();
        await using var broker = await MosquittoBroker.StartAsync();
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");
        var random = new Random(Environment.TickCount);
        var moments = new List<double>();
        int committedBefore = 0;

        for (int i = 0; i < FaultScale.Kills; i++)
        {
            using var agent = AgentHandle.Start(["replay", video, .. _rig.Settings(broker)], _rig.Folder);
            // Up and reading first (the source open line), then a random moment within the next 1-9 s: mid-frame,
            // mid-commit, mid-publish or between PUBACK and its mark, wherever it falls.
            Assert.True(await agent.WaitForOutputAsync("[1001]", TimeSpan.FromMinutes(2)), agent.Output);
            double after = 1 + random.NextDouble() * 8;
            moments.Add(Math.Round(agent.Elapsed.TotalSeconds + after, 1));
            await Task.Delay(TimeSpan.FromSeconds(after));
            Assert.False(agent.HasExited, agent.Output);
            agent.Kill9();
        }
        committedBefore = OutboxFile.Rows(_rig.OutboxPath).Count;

        // The restart that lives: a short clip played to the end, which drains everything left.
        var last = await AgentProcess.RunAsync(["replay", clip, "--drain-timeout", "300", .. _rig.Settings(broker)], TimeSpan.FromMinutes(8), _rig.Folder);
        Assert.True(last.ExitCode == 0, last.ToString());
        var messages = await capture.WaitForAsync(all => all.Any(m => m.Text.Contains("\"stopped\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));

        var rows = OutboxFile.Rows(_rig.OutboxPath);
        var received = FaultRig.Reads(messages).ToList();
        var receivedIds = received.Select(FaultRig.Id).ToHashSet();
        var missing = rows.Where(r => !receivedIds.Contains(r.Id)).ToList();
        string integrity = OutboxFile.IntegrityCheck(_rig.OutboxPath);
        _rig.Figure($"SIGKILL x{FaultScale.Kills} [{FaultScale.Name}] during a {FaultScale.Passes}-pass replay, at {string.Join(", ", moments.Select(m => m + " s"))} into each run: {committedBefore} reads committed across the killed runs, " +
                    $"{rows.Count} in all, {receivedIds.Count} distinct delivered, {missing.Count} missing, {received.Count - receivedIds.Count} duplicate deliveries (same id), " +
                    $"integrity_check: {integrity}");

        Assert.Equal("ok", integrity);
        Assert.True(committedBefore > 0, "no read was committed before the kills: the moments were too early to test anything");
        Assert.Empty(missing);
        Assert.All(rows, r => Assert.NotNull(r.DeliveredAt));
    }
}
