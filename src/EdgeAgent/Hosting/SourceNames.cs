namespace EdgeAgent.Hosting;

/// <summary>Camera addresses as they may appear in logs and health: without the credentials an RTSP URL can carry.</summary>
public static class SourceNames
{
    /// <summary>rtsp://user:secret@cam/stream becomes rtsp://***@cam/stream; anything else is returned as is.</summary>
    public static string Redact(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        int scheme = source.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return source;
        int hostStart = scheme + 3;
        int pathStart = source.IndexOf('/', hostStart);
        int at = source.LastIndexOf('@', pathStart < 0 ? source.Length - 1 : pathStart);
        return at < hostStart ? source : string.Concat(source.AsSpan(0, hostStart), "***", source.AsSpan(at));
    }
}
