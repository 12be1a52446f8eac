using System.Text;

using EdgeAgent.Core.Contract;
using EdgeAgent.TestSupport;

using static EdgeAgent.Transport.Tests.ForwarderHarness;

namespace EdgeAgent.Transport.Tests;

[Trait("Category", "Integration")]
public sealed class RecipientRoutingTests
{
    private static readonly IReadOnlySet<string> PoliceFields = new HashSet<string>(StringComparer.Ordinal) { ReadFields.PlateHash, ReadFields.KeyId, ReadFields.Time };

    [Fact]
    public async Task RunAsync_TwoRecipients_EachGetsOnlyItsFieldsOnItsTopicAndTheReadIsDeliveredOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var charging = await MqttCapture.StartAsync(broker, Topic.Read);
        await using var police = await MqttCapture.StartAsync(broker, "police/v1/site-a/cam-1/read");
        var outbox = new MemoryOutbox();
        var now = DateTimeOffset.UtcNow;
        for (int i = 1; i <= 30; i++) outbox.Append(TestReads.Make(i, now));
        IReadOnlyList<ReadRoute> routes =
        [
            new("charging", Topic.Read, ReadFields.ChargingDefault),
            new("police", "police/v1/site-a/cam-1/read", PoliceFields),
        ];
        var options = new ReadForwarderOptions { AgentVersion = "1", Profile = "p", DrainRatePerSecond = 10_000, MaxInFlight = 7, Routes = () => routes };

        await using var run = Start(outbox, broker.ClientOptions("cam-1"), options);
        Assert.True(await run.Forwarder.WaitUntilDrainedAsync(Wait, CancellationToken.None));
        var toCharging = await charging.WaitForAsync(l => l.Count >= 30, Wait);
        var toPolice = await police.WaitForAsync(l => l.Count >= 30, Wait);

        Assert.Equal(outbox.Entries.Select(e => e.Event.Id), toCharging.Select(Id));
        Assert.Equal(outbox.Entries.Select(e => e.Event.Id), toPolice.Select(Id));
        var policeNames = PoliceFields.Concat(ReadFields.Always).Order(StringComparer.Ordinal);
        Assert.All(toPolice, m => Assert.Equal(policeNames, Root(m).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.All(toCharging, m => Assert.True(Root(m).TryGetProperty(ReadFields.Lane, out _)));
        Assert.All(outbox.Entries, e => Assert.Equal(1, outbox.DeliveredCount(e.Seq)));
        Assert.Equal(30, run.Forwarder.Status.Published);   // counted in reads, not messages
    }

    [Fact]
    public async Task RunAsync_PolicyChangesMidway_LaterReadsFollowTheNewRoutes()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var police = await MqttCapture.StartAsync(broker, "police/v1/site-a/cam-1/read");
        var outbox = new MemoryOutbox();
        IReadOnlyList<ReadRoute> routes = [new("charging", Topic.Read, ReadFields.ChargingDefault)];
        var options = new ReadForwarderOptions { AgentVersion = "1", Profile = "p", DrainRatePerSecond = 10_000, Routes = () => Volatile.Read(ref routes) };
        await using var run = Start(outbox, broker.ClientOptions("cam-1"), options);

        outbox.Append(TestReads.Make(1, DateTimeOffset.UtcNow));
        Assert.True(await run.Forwarder.WaitUntilDrainedAsync(Wait, CancellationToken.None));
        Volatile.Write(ref routes, [new("charging", Topic.Read, ReadFields.ChargingDefault), new("police", "police/v1/site-a/cam-1/read", PoliceFields)]);
        outbox.Append(TestReads.Make(2, DateTimeOffset.UtcNow));
        run.Forwarder.Nudge();
        Assert.True(await run.Forwarder.WaitUntilDrainedAsync(Wait, CancellationToken.None));

        var got = await police.WaitForAsync(l => l.Count >= 1, Wait);
        Assert.Equal([TestReads.Make(2, DateTimeOffset.UtcNow).Id], got.Select(Id));
    }

    [Fact]
    public void FanOutWindow_OneRecipientRefuses_TheReadIsNotDelivered()
    {
        var window = new FanOutWindow();
        window.Sent(1, seq: 10);
        window.Sent(2, seq: 10);
        window.Sent(3, seq: 11);
        window.Sent(4, seq: 11);
        Assert.True(window.Remove(1, out long a) && a == 10);
        Assert.False(window.Accepted(10));          // one of two
        Assert.True(window.Remove(2, out long b) && b == 10);
        Assert.True(window.Accepted(10));           // both: delivered
        Assert.True(window.Remove(3, out _));
        window.Refused(11);
        Assert.True(window.Remove(4, out _));
        Assert.False(window.Accepted(11));          // refused by one recipient: stays unsent
        Assert.Equal(0, window.Count);
        Assert.False(window.Remove(99, out _));
    }

    [Fact]
    public async Task ControlChannel_Request_IsAnsweredAndSubscriptionsSurviveABrokerRestart()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var answers = await MqttCapture.StartAsync(broker, "ctl/answer");
        await using var channel = new ControlChannel(broker.ClientOptions("unit-privacy"),
            (topic, payload) => [new OutgoingMessage("ctl/answer", Encoding.UTF8.GetBytes("re:" + Encoding.UTF8.GetString(payload.Span)))]);
        channel.Subscribe("ctl/request");
        using var stop = new CancellationTokenSource();
        Task run = channel.RunAsync(stop.Token);
        await WaitConnected(channel);

        // Sent until answered: the subscription is made asynchronously after the connect.
        await PublishUntilAnswered(broker, answers, "one");
        await broker.RestartAsync();
        await WaitConnected(channel);
        await PublishUntilAnswered(broker, answers, "two");
        Assert.Contains(answers.Messages, m => m.Text == "re:two");

        await stop.CancelAsync();
        await run.WaitAsync(Wait);
    }

    private static async Task WaitConnected(ControlChannel channel)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!channel.IsConnected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the control channel never connected");
            await Task.Delay(20);
        }
    }

    private static async Task PublishUntilAnswered(MosquittoBroker broker, MqttCapture answers, string text)
    {
        await using var requester = await MqttCapture.StartAsync(broker, "unused/#");
        var deadline = DateTime.UtcNow + Wait;
        while (!answers.Messages.Any(m => m.Text == "re:" + text))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no answer to '{text}'");
            if (requester.Client.IsConnected) requester.Client.Publish("ctl/request", Encoding.UTF8.GetBytes(text));
            await Task.Delay(200);
        }
    }
}
