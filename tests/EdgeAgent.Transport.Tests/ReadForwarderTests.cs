using EdgeAgent.Core.Contract;
using EdgeAgent.TestSupport;
using EdgeAgent.Transport.Mosquitto;

using Microsoft.Extensions.Time.Testing;

using static EdgeAgent.Transport.Tests.ForwarderHarness;

namespace EdgeAgent.Transport.Tests;

[Trait("Category", "Integration")]
public sealed class ReadForwarderTests
{
    private static readonly ReadForwarderOptions Fast = new() { AgentVersion = "1.2.3", Profile = "anpr-1080p-ir", DrainRatePerSecond = 10_000 };

    [Fact]
    public async Task RunAsync_OutboxWithReads_PublishesEachOnceInOrderWithOnlyAllowedFieldsAndMarksDelivered()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var backend = await MqttCapture.StartAsync(broker, Topic.Read);
        var outbox = new MemoryOutbox();
        var now = DateTimeOffset.UtcNow;
        for (int i = 1; i <= 60; i++) outbox.Append(TestReads.Make(i, now));

        await using var run = Start(outbox, broker.ClientOptions("cam-1"), Fast);
        Assert.True(await run.Forwarder.WaitUntilDrainedAsync(Wait, CancellationToken.None));
        var got = await backend.WaitForAsync(l => l.Count >= 60, Wait);

        Assert.Equal(outbox.Entries.Select(e => e.Event.Id), got.Select(Id));   // in order, each exactly once
        var allowed = ReadFields.ChargingDefault.Concat(ReadFields.Always).Order(StringComparer.Ordinal);
        foreach (var (entry, message) in outbox.Entries.Zip(got, (e, m) => (e, m)))
        {
            Assert.Equal(allowed, Root(message).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(ReadMessage.Encode(entry.Event, Historical(message), ReadFields.ChargingDefault), message.Payload.ToArray());
            Assert.False(message.Retain);
            Assert.Equal(1, outbox.DeliveredCount(entry.Seq));
        }
        Assert.Equal(0, outbox.GetStats().Unsent);
        var status = run.Forwarder.Status;
        Assert.Equal((60L, 60L, 0), (status.Published, status.Acknowledged, status.InFlight));
        Assert.True(status.Connected);
    }

    [Fact]
    public async Task RunAsync_Connected_PublishesRetainedBirthOnline()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var run = Start(new MemoryOutbox(), broker.ClientOptions("cam-1"), Fast);
        await run.WaitUntilAsync(s => s.Connected, "connected");

        // A subscriber arriving later still learns the camera is up: the birth is retained.
        await using var late = await MqttCapture.StartAsync(broker, Topic.Status);
        var birth = await late.WaitForMessageAsync(m => m.Retain, Wait);

        var root = Root(birth);
        Assert.Equal("online", root.GetProperty("state").GetString());
        Assert.Equal("1.2.3", root.GetProperty("agent_version").GetString());
        Assert.Equal("anpr-1080p-ir", root.GetProperty("profile").GetString());
    }

    [Fact]
    public async Task RunAsync_CancelledGracefully_LeavesStoppedRetainedAndNoWill()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var watcher = await MqttCapture.StartAsync(broker, Topic.Status);
        await using (var run = Start(new MemoryOutbox(), broker.ClientOptions("cam-1"), Fast))
        {
            await run.WaitUntilAsync(s => s.Connected, "connected");
            await run.StopAsync();
            Assert.False(run.Forwarder.Status.Connected);
        }

        await using var late = await MqttCapture.StartAsync(broker, Topic.Status);
        var retained = await late.WaitForMessageAsync(m => m.Retain, Wait);
        Assert.Equal("stopped", Root(retained).GetProperty("reason").GetString());
        // The SUBACK above came after the forwarder's DISCONNECT was handled: a will would be in by now.
        Assert.Equal(["online", "offline"], watcher.Messages.Select(State));
        Assert.All(watcher.Messages.Skip(1), m => Assert.True(Root(m).TryGetProperty("reason", out _)));
    }

    [Fact]
    public async Task LastWill_ForwarderConnectionCutLikeACrash_OfflineRetainedThenBirthAfterReconnect()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var run = Start(new MemoryOutbox(), broker.ClientOptions("cam-1"), Fast);
        await run.WaitUntilAsync(s => s.Connected, "connected");
        await using var watcher = await MqttCapture.StartAsync(broker, Topic.Status);

        SocketCutter.Cut(run.Forwarder.Client);

        var will = await watcher.WaitForMessageAsync(m => State(m) == "offline", Wait);
        Assert.False(Root(will).TryGetProperty("reason", out _));   // the will, not a graceful stop
        await using (var late = await MosquittoClientTests.WaitForRetainedAsync(broker, Topic.Status, "offline"))
        {
            // Retained: a backend that connects after the crash still sees it (until the birth replaces it).
        }
        await watcher.WaitForAsync(l => l.SkipWhile(m => m != will).Any(m => State(m) == "online"), Wait);
        await run.WaitUntilAsync(s => s.Connected && s.Reconnects == 1, "reconnected");
    }

    [Fact]
    public async Task RunAsync_BrokerStoppedMidStreamAndRestarted_EveryReadArrivesInOrderAndOutageReadsAreHistorical()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Persistence = true });
        // The backend keeps a persistent session (as a real one would), so what the broker accepts while the
        // backend is still reconnecting waits for it instead of being lost to the test.
        var backendOptions = broker.ClientOptions("backend") with { CleanStart = false, Protocol = MqttProtocol.V311 };
        await using var backend = await MqttCapture.StartAsync(backendOptions, Topic.Read);
        var outbox = new MemoryOutbox();
        await using var run = Start(outbox, broker.ClientOptions("cam-1"), Fast);
        await run.WaitUntilAsync(s => s.Connected, "connected");

        // A camera producing a read every 20 ms throughout: the broker goes away mid-stream.
        using var producing = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (int n = 1; !producing.IsCancellationRequested; n++)
            {
                outbox.Append(TestReads.Make(n, DateTimeOffset.UtcNow));
                run.Forwarder.Nudge();
                await Task.Delay(20);
            }
        });
        int Committed() => outbox.Entries.Count;

        await backend.WaitForAsync(l => l.Count >= 20, Wait);
        await broker.StopAsync();
        await run.WaitUntilAsync(s => !s.Connected, "noticed the outage");
        var outageStart = DateTimeOffset.UtcNow;
        int before = Committed();
        await WaitUntilAsync(() => Committed() >= before + 60, "committed reads during the outage");   // about 1.2 s down
        var restartAt = DateTimeOffset.UtcNow;
        await broker.RestartAsync();
        await run.WaitUntilAsync(s => s.Connected, "reconnected");
        int reconnected = Committed();
        await WaitUntilAsync(() => Committed() >= reconnected + 20, "committed reads after the reconnect");
        await producing.CancelAsync();
        await producer;
        Assert.True(await run.Forwarder.WaitUntilDrainedAsync(Wait, CancellationToken.None), run.Forwarder.Status.ToString());

        var ids = outbox.Entries.Select(e => e.Event.Id).ToList();
        var got = await backend.WaitForAsync(l => ids.All(new HashSet<string>(l.Select(Id)).Contains), Wait);

        // Nothing lost, nothing foreign; duplicates only as the same read again, first arrivals in order.
        Assert.Equal(ids, got.Select(Id).Distinct());
        foreach (var copies in got.GroupBy(Id))
            Assert.Single(copies.Select(m => Without(Root(m), ReadFields.Historical)).Distinct());
        // Before the outage: live. Committed during it: historical in every copy.
        Assert.False(Historical(got.First(m => Id(m) == ids[0])));
        var outage = outbox.Entries.Where(e => e.CreatedAt >= outageStart && e.CreatedAt < restartAt).ToList();
        Assert.True(outage.Count >= 60);
        foreach (var entry in outage)
            Assert.All(got.Where(m => Id(m) == entry.Event.Id), m => Assert.True(Historical(m), entry.Event.Id));
        Assert.All(outbox.Entries, e => Assert.True(outbox.DeliveredCount(e.Seq) >= 1));
        Assert.True(run.Forwarder.Status.Reconnects >= 1);
    }

    [Fact]
    public async Task RunAsync_BrokerKilledWhileReadsInFlight_EveryReadIsDeliveredAfterRestart()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var outbox = new MemoryOutbox();
        // A slow drain keeps reads in flight and unsent when the broker dies (kill -9: nothing saved).
        await using var run = Start(outbox, broker.ClientOptions("cam-1"), Fast with { DrainRatePerSecond = 40 });
        for (int i = 1; i <= 80; i++) outbox.Append(TestReads.Make(i, DateTimeOffset.UtcNow.AddMinutes(-5)));
        run.Forwarder.Nudge();
        await run.WaitUntilAsync(s => s.Acknowledged >= 10, "acknowledged some reads");

        broker.Kill();
        await run.WaitUntilAsync(s => !s.Connected, "noticed the crash");
        Assert.True(outbox.GetStats().Unsent > 0);
        await broker.RestartAsync();

        Assert.True(await run.Forwarder.WaitUntilDrainedAsync(Wait, CancellationToken.None), run.Forwarder.Status.ToString());
        Assert.All(outbox.Entries, e => Assert.True(outbox.DeliveredCount(e.Seq) >= 1));
        Assert.True(run.Forwarder.Status.Reconnects >= 1);
    }

    [Fact]
    public async Task RunAsync_BrokerDownAtStart_ConnectsWhenItComesUpAndDrains()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        var outbox = new MemoryOutbox();
        for (int i = 1; i <= 5; i++) outbox.Append(TestReads.Make(i, DateTimeOffset.UtcNow));
        await using var run = Start(outbox, broker.ClientOptions("cam-1"), Fast);
        await run.WaitUntilAsync(s => s.LastError is not null, "reported the failed connect");
        Assert.Contains($"{broker.Host}:{broker.Port}", run.Forwarder.Status.LastError, StringComparison.Ordinal);

        await broker.RestartAsync();

        Assert.True(await run.Forwarder.WaitUntilDrainedAsync(Wait, CancellationToken.None), run.Forwarder.Status.ToString());
    }

    [Fact]
    public async Task WaitUntilDrainedAsync_BrokerUnreachable_ReturnsFalseAtTimeout()
    {
        var outbox = new MemoryOutbox();
        outbox.Append(TestReads.Make(1, DateTimeOffset.UtcNow));
        await using var run = Start(outbox, new MosquittoClientOptions { Host = "127.0.0.1", Port = MosquittoClientTests.UnusedPort() }, Fast);

        Assert.False(await run.Forwarder.WaitUntilDrainedAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.Equal(1, outbox.GetStats().Unsent);
    }

    [Fact]
    public async Task Nudge_AfterAppend_PublishesWithoutThePeriodicCheck()
    {
        // Forwarding time is frozen: the 1 s periodic check never fires, so only the nudge can send the read.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var backend = await MqttCapture.StartAsync(broker, Topic.Read);
        var outbox = new MemoryOutbox(time);
        await using var run = Start(outbox, broker.ClientOptions("cam-1"), Fast, time);
        await run.WaitUntilAsync(s => s.Connected, "connected");

        outbox.Append(TestReads.Make(1, time.GetUtcNow()));
        run.Forwarder.Nudge();

        var got = await backend.WaitForMessageAsync(_ => true, Wait);
        Assert.Equal(outbox.Entries[0].Event.Id, Id(got));
        Assert.False(Historical(got));
    }

    [Fact]
    public async Task RunAsync_Backlog_DrainsNoFasterThanTheRate()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var backend = await MqttCapture.StartAsync(broker, Topic.Read);
        var outbox = new MemoryOutbox(time);
        for (int i = 1; i <= 25; i++) outbox.AppendAt(TestReads.Make(i, time.GetUtcNow()), time.GetUtcNow().AddHours(-1));
        var options = Fast with { DrainRatePerSecond = 10, MaxInFlight = 20 };   // a burst of 10, then 10 per second

        await using var run = Start(outbox, broker.ClientOptions("cam-1"), options, time);
        await backend.WaitForAsync(l => l.Count >= 10, Wait);
        await run.WaitUntilAsync(s => s.Acknowledged == 10, "acknowledged the first burst");
        Assert.Equal(10, run.Forwarder.Status.Published);   // frozen time mints no further tokens

        time.Advance(TimeSpan.FromSeconds(1));
        var got = await backend.WaitForAsync(l => l.Count >= 20, Wait);
        Assert.Equal(20, got.Count);
        Assert.All(got, m => Assert.True(Historical(m)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Never {what}.");
            await Task.Delay(20);
        }
    }

    private static string Without(System.Text.Json.JsonElement root, string field) =>
        string.Join(",", root.EnumerateObject().Where(p => p.Name != field).Select(p => $"{p.Name}={p.Value.GetRawText()}"));
}
