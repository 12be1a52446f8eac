using System.Collections.Concurrent;
using System.Threading.Channels;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Transport;

/// <summary>A message to publish in answer to a request, or on the channel's own account.</summary>
public sealed record OutgoingMessage(string Topic, byte[] Payload, bool Retain = false);

/// <summary>
/// The agent's second MQTT connection, for requests addressed to the unit (evidence requests, new
/// policies) and the retained audit head: kept apart from the read forwarder so a slow answer (an image
/// from the database) never holds up reads, and the forwarder's in-flight window holds only reads.
/// Subscriptions are renewed on every connect; inbound messages are queued by the network thread and
/// handled one at a time on this channel's loop; a handler's answers are published QoS 1.
/// </summary>
public sealed partial class ControlChannel : IAsyncDisposable
{
    private readonly MosquittoClient _client;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _filters = new(StringComparer.Ordinal);
    private readonly Channel<MqttMessageEventArgs> _inbound = Channel.CreateBounded<MqttMessageEventArgs>(new BoundedChannelOptions(64)
    {
        FullMode = BoundedChannelFullMode.DropWrite,   // a flood of requests is shed, not queued without bound
        SingleReader = true,
    });
    private readonly Func<string, ReadOnlyMemory<byte>, IReadOnlyList<OutgoingMessage>> _handler;
    private long _handled, _shed;

    /// <param name="handler">Answers one inbound message (topic, payload) with messages to publish; runs on the channel's loop.</param>
    public ControlChannel(MosquittoClientOptions mqtt, Func<string, ReadOnlyMemory<byte>, IReadOnlyList<OutgoingMessage>> handler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        _handler = handler;
        _logger = logger ?? NullLogger.Instance;
        _client = new MosquittoClient(mqtt with { Will = null }, _logger);
        _client.Connected += (_, _) =>
        {
            // libmosquitto's network thread: mosquitto_subscribe only queues, it is safe here.
            foreach (string filter in _filters.Keys) TrySubscribe(filter);
        };
        _client.MessageReceived += (_, e) =>
        {
            if (!_inbound.Writer.TryWrite(e)) Interlocked.Increment(ref _shed);
        };
    }

    public bool IsConnected => _client.IsConnected;
    public long Handled => Interlocked.Read(ref _handled);
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Adds a subscription (kept across reconnects); subscribes at once when connected.</summary>
    public void Subscribe(string filter)
    {
        if (_filters.TryAdd(filter, 0) && _client.IsConnected) TrySubscribe(filter);
    }

    /// <summary>Publishes when connected (QoS 1); false otherwise (periodic messages are simply sent again later).</summary>
    public bool TryPublish(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_client.IsConnected) return false;
        try
        {
            _client.Publish(message.Topic, message.Payload, qos: 1, message.Retain);
            return true;
        }
        catch (BrokerUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Connects (retrying with backoff until it succeeds) and handles inbound messages until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await foreach (MqttMessageEventArgs message in _inbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                IReadOnlyList<OutgoingMessage> answers;
                try
                {
                    answers = _handler(message.Topic, message.Payload);
                }
#pragma warning disable CA1031 // One bad request must not end the channel: it is logged and the next one handled.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Log.HandlerFailed(_logger, message.Topic, e);
                    continue;
                }
                Interlocked.Increment(ref _handled);
                foreach (OutgoingMessage answer in answers)
                    if (!TryPublish(answer)) Log.AnswerLost(_logger, answer.Topic);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _inbound.Writer.TryComplete();
        await _client.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                return;   // from here libmosquitto reconnects on its own and Connected renews the subscriptions
            }
            catch (MosquittoException e)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt - 1, 5)));
                Log.ConnectFailed(_logger, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void TrySubscribe(string filter)
    {
        try
        {
            _client.Subscribe(filter, qos: 1);
        }
        catch (MosquittoException e)
        {
            Log.SubscribeFailed(_logger, filter, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4050, Level = LogLevel.Warning, Message = "Control channel: MQTT connect failed ({Reason}); next attempt in {Seconds} s")]
        public static partial void ConnectFailed(ILogger logger, string reason, double seconds);

        [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "Control channel: subscribing to {Filter} failed: {Reason}")]
        public static partial void SubscribeFailed(ILogger logger, string filter, string reason);

        [LoggerMessage(EventId = 4052, Level = LogLevel.Error, Message = "Control channel: handling a message on {Topic} failed")]
        public static partial void HandlerFailed(ILogger logger, string topic, Exception exception);

        [LoggerMessage(EventId = 4053, Level = LogLevel.Warning, Message = "Control channel: the answer on {Topic} could not be sent (not connected)")]
        public static partial void AnswerLost(ILogger logger, string topic);
    }
}
