using System.Text;

namespace EdgeAgent.Transport.Mosquitto;

public enum MqttProtocol
{
    /// <summary>MQTT 3.1.1: for peers that need it (a 3.1.1 persistent session needs no expiry property).</summary>
    V311 = 4,
    /// <summary>MQTT 5: reason codes on CONNACK, PUBACK and DISCONNECT. The default.</summary>
    V5 = 5,
}

/// <summary>
/// TLS towards the broker. The server is always verified against <see cref="CaFile"/>, host name included;
/// once configured there is no plain-text fallback. A client certificate needs both files; an encrypted
/// key is refused rather than prompted for (an agent has no terminal).
/// </summary>
public sealed record MqttTls(string CaFile)
{
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
}

/// <summary>The Last Will: published by the broker when the connection ends without a DISCONNECT.</summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, int Qos = 1, bool Retain = true);

/// <summary>How to reach the broker and who to be there.</summary>
public sealed record MosquittoClientOptions
{
    public required string Host { get; init; }
    public int Port { get; init; } = 1883;

    /// <summary>Null lets libmosquitto pick a random id (only with <see cref="CleanStart"/>).</summary>
    public string? ClientId { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);
    public bool CleanStart { get; init; } = true;
    public MqttProtocol Protocol { get; init; } = MqttProtocol.V5;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public MqttTls? Tls { get; init; }
    public MqttWill? Will { get; init; }

    /// <summary>How long <see cref="MosquittoClient.ConnectAsync"/> waits for the CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>libmosquitto's own reconnect after a lost connection: exponential from min to max.</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(30);

    public string Endpoint => $"{Host}:{Port}";

    /// <summary>The first problem found, or null. Names options, never their secret values.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) return "Host is empty";
        if (Port is < 1 or > 65535) return $"Port {Port} is outside 1..65535";
        if (ClientId is null && !CleanStart) return "a persistent session (CleanStart false) needs a ClientId";
        if (ClientId is { Length: 0 }) return "ClientId is empty (use null for a random one)";
        if (KeepAlive < TimeSpan.FromSeconds(5) || KeepAlive > TimeSpan.FromSeconds(65535)) return "KeepAlive must be 5 s .. 65535 s";
        if (Password is not null && Username is null) return "a Password needs a Username";
        if (ConnectTimeout <= TimeSpan.Zero) return "ConnectTimeout must be positive";
        if (ReconnectDelayMin < TimeSpan.FromSeconds(1) || ReconnectDelayMax < ReconnectDelayMin)
            return "reconnect delays must be at least 1 s, min <= max";
        if (Will is { } w && (string.IsNullOrEmpty(w.Topic) || w.Qos is < 0 or > 2)) return "Will needs a topic and QoS 0..2";
        if (Tls is { } tls)
        {
            if (!File.Exists(tls.CaFile)) return $"TLS CA file '{tls.CaFile}' does not exist";
            if ((tls.CertFile is null) != (tls.KeyFile is null)) return "a TLS client certificate needs both CertFile and KeyFile";
            if (tls.CertFile is not null && !File.Exists(tls.CertFile)) return $"TLS certificate file '{tls.CertFile}' does not exist";
            if (tls.KeyFile is not null && !File.Exists(tls.KeyFile)) return $"TLS key file '{tls.KeyFile}' does not exist";
        }
        return null;
    }

    /// <summary>Records print every property; this one must not print the password.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"mqtt{(Tls is null ? "" : "s")}://{Endpoint} client={ClientId ?? "(random)"} protocol={Protocol}");
        if (Username is not null) sb.Append($" user={Username} password={(Password is null ? "none" : "***")}");
        return sb.ToString();
    }
}
