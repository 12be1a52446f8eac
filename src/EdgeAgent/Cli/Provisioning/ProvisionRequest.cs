using System.Globalization;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Profiles;

namespace EdgeAgent.Cli.Provisioning;

/// <summary>What the field engineer asked `edgeagent provision` for.</summary>
public sealed record ProvisionRequest
{
    public required string Site { get; init; }
    public required string Camera { get; init; }
    public required string Profile { get; init; }
    /// <summary>host, host:port or [v6]:port.</summary>
    public required string Broker { get; init; }
    public string? Source { get; init; }
    public string? CaFile { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    public string? AuthorityFile { get; init; }
    public string? PolicyFile { get; init; }
    /// <summary>The service's user, who must own the secrets; null: "edgeagent" when it exists.</summary>
    public string? User { get; init; }
    public string ConfigDir { get; init; } = "/etc/edgeagent";
    public string DataDir { get; init; } = "/var/lib/edgeagent";
    public bool Force { get; init; }
}

/// <summary>A request checked and resolved: every path absolute, the broker split, the profile loaded.</summary>
internal sealed record ProvisionPlan(ProvisionRequest Request, string Host, int Port, HardwareProfile Profile, string ProfileSource, (uint Uid, uint Gid)? Owner)
{
    public string ConfigDir => Path.GetFullPath(Request.ConfigDir);
    public string DataDir => Path.GetFullPath(Request.DataDir);
    public string SettingsFile => Path.Combine(ConfigDir, "appsettings.json");
    public string ProfileFile => Path.Combine(ConfigDir, "profile.json");
    public string UnitKey => Path.Combine(ConfigDir, "unit.key");
    public string AuthorityKey => Path.Combine(ConfigDir, "authority.pub.pem");
    public string PolicyFile => Path.Combine(ConfigDir, "policy.json");
    public string TlsDir => Path.Combine(ConfigDir, "tls");
    public string TlsCa => Path.Combine(TlsDir, "ca.pem");
    public string TlsCert => Path.Combine(TlsDir, "client.pem");
    public string TlsKey => Path.Combine(TlsDir, "client.key");
    public string Outbox => Path.Combine(DataDir, "outbox.db");
    public bool Tls => Request.CaFile is not null;

    /// <summary>Splits "host", "host:port", "[v6]:port"; the default port is 8883 with TLS, else 1883.</summary>
    public static (string Host, int Port, string? Problem) ParseBroker(string broker, bool tls)
    {
        int defaultPort = tls ? 8883 : 1883;
        string host = broker.Trim();
        if (host.Contains("://", StringComparison.Ordinal))
            return ("", 0, $"--broker '{broker}' is not host:port: leave out the scheme (TLS is turned on by --ca)");
        string? port = null;
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return ("", 0, $"--broker '{broker}' opens '[' without ']': write an IPv6 address as [addr]:port");
            port = host.Length > close + 1 ? host[(close + 1)..].TrimStart(':') : null;
            host = host[1..close];
        }
        else if (host.Count(c => c == ':') == 1)
        {
            port = host[(host.IndexOf(':', StringComparison.Ordinal) + 1)..];
            host = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@'))
            return ("", 0, $"--broker '{broker}' is not host:port (e.g. broker.example.org:8883)");
        if (port is null) return (host, defaultPort, null);
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
            return ("", 0, $"--broker '{broker}': port '{port}' is not 1..65535");
        return (host, p, null);
    }

    public static string? CheckLevel(string option, string value) =>
        Topics.CheckLevel(value) is { } problem ? $"{option} '{value}' {problem}: it becomes a topic level of anpr/v1/{{site}}/{{camera}}" : null;
}
