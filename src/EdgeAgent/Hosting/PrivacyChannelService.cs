using System.Buffers;
using System.Text.Json;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Evidence;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Transport;

namespace EdgeAgent.Hosting;

/// <summary>
/// The unit's privacy conversation over MQTT, on its own connection (<see cref="ControlChannel"/>):
/// evidence requests on each recipient's {root}/evidence/request, signed policies on
/// anpr/v1/{site}/{camera}/policy (the decision is answered on …/policy/result), and the audit chain's
/// head, retained on …/audit, whenever it changes and at least every Privacy:AuditHeadSeconds.
/// </summary>
public sealed partial class PrivacyChannelService(
    ControlChannel channel,
    Topics topics,
    EvidenceDisclosure disclosure,
    PolicyService policies,
    IAuditLog audit,
    UnitSecret secret,
    TimeSpan headInterval,
    TimeProvider time,
    ILogger<PrivacyChannelService> logger) : BackgroundService
{
    private static readonly TimeSpan HeadCheck = TimeSpan.FromSeconds(2);

    public string PolicyTopic => topics.Base + "/policy";

    /// <summary>Answers one inbound message; the channel's handler.</summary>
    public IReadOnlyList<OutgoingMessage> Handle(string topic, ReadOnlyMemory<byte> payload)
    {
        if (topic == PolicyTopic)
        {
            if (payload.Length == 0) return [];   // a cleared retained message
            PolicyDecision decision = policies.Offer(payload.Span, "mqtt " + topic);
            return [new OutgoingMessage(PolicyTopic + "/result", PolicyResult(decision))];
        }
        if (disclosure.Answer(topic, payload.Span) is { } answer)
        {
            Log.EvidenceAnswered(logger, topic, disclosure.Disclosed, disclosure.Refused);
            return [new OutgoingMessage(answer.Topic, answer.Payload)];
        }
        return [];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        channel.Subscribe(PolicyTopic);
        SubscribeRecipients();
        policies.Store.Changed += _ => SubscribeRecipients();
        Task run = channel.RunAsync(stoppingToken);

        AuditHead? published = null;
        DateTimeOffset publishedAt = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested && !run.IsCompleted)
        {
            AuditHead head = audit.Head;
            DateTimeOffset now = time.GetUtcNow();
            if (head != published || now - publishedAt >= headInterval)
            {
                if (channel.TryPublish(new OutgoingMessage(topics.Audit, AuditHeadMessage.Encode(head, now, secret.KeyId), Retain: true)))
                {
                    published = head;
                    publishedAt = now;
                }
            }
            try
            {
                await Task.Delay(HeadCheck, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await run.ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await channel.DisposeAsync().ConfigureAwait(false);
    }

    private void SubscribeRecipients()
    {
        foreach (string topic in disclosure.RequestTopics()) channel.Subscribe(topic);
    }

    private static byte[] PolicyResult(PolicyDecision decision)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", ReadMessage.Version);
            w.WriteBoolean("accepted", decision.Accepted);
            w.WriteBoolean("changed", decision.Changed);
            w.WriteNumber("version_in_force", decision.InForce.Version);
            w.WriteString("message", decision.Message);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Evidence request on {Topic} answered ({Disclosed} disclosed, {Refused} refused so far)")]
        public static partial void EvidenceAnswered(ILogger logger, string topic, long disclosed, long refused);
    }
}
