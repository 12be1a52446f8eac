namespace EdgeAgent.Transport.Mosquitto;

/// <summary>The broker accepted the connection (CONNACK success).</summary>
public sealed class MqttConnectedEventArgs(bool sessionPresent) : EventArgs
{
    public bool SessionPresent { get; } = sessionPresent;
}

/// <summary>
/// The connection ended or an attempt failed. <see cref="ReasonCode"/> is 0 when we asked for it, a
/// mosq_err_t below 128, or the broker's MQTT 5 reason code from 128 up.
/// </summary>
public sealed class MqttDisconnectedEventArgs(int reasonCode, string reason, bool wasConnected) : EventArgs
{
    public int ReasonCode { get; } = reasonCode;
    public string Reason { get; } = reason;
    public bool Requested => ReasonCode == 0;

    /// <summary>False when a connection attempt failed before its CONNACK.</summary>
    public bool WasConnected { get; } = wasConnected;
}

/// <summary>
/// A QoS 1 publish was acknowledged (PUBACK), or a QoS 0 one was written. Reason codes below 128 are
/// successes (16 means no subscriber matched, which is still delivered to the broker).
/// </summary>
public sealed class MqttPublishAckEventArgs(int mid, int reasonCode) : EventArgs
{
    public int Mid { get; } = mid;
    public int ReasonCode { get; } = reasonCode;
    public bool Accepted => ReasonCode < 128;
}

/// <summary>A message arrived on a subscription. The payload is a copy the handler may keep.</summary>
public sealed class MqttMessageEventArgs(string topic, byte[] payload, bool retain, int qos) : EventArgs
{
    public string Topic { get; } = topic;
    public ReadOnlyMemory<byte> Payload { get; } = payload;
    public bool Retain { get; } = retain;
    public int Qos { get; } = qos;
}
