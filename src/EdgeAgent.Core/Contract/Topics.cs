namespace EdgeAgent.Core.Contract;

/// <summary>The MQTT contract's topics (v1): anpr/v1/{site}/{camera}/{read|status|health|audit}.</summary>
public sealed record Topics(string Site, string Camera, string Root = "anpr/v1")
{
    public string Base => $"{Root}/{Site}/{Camera}";
    public string Read => Base + "/read";
    public string Status => Base + "/status";
    public string Health => Base + "/health";
    public string Audit => Base + "/audit";

    /// <summary>Site and camera ids become topic levels: they may not hold MQTT wildcards or separators.</summary>
    public static string? CheckLevel(string value) =>
        string.IsNullOrWhiteSpace(value) ? "is empty"
        : value.IndexOfAny(['/', '+', '#', '\0']) >= 0 ? "contains '/', '+', '#' or NUL, which MQTT topic levels cannot hold"
        : value.Length > 64 ? "is longer than 64 characters"
        : null;
}
