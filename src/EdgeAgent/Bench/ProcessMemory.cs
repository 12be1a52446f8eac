namespace EdgeAgent.Bench;

/// <summary>The process's resident memory from /proc (Linux): now, and the peak since start or the last reset.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size in bytes (VmHWM), or -1 when /proc does not say.</summary>
    public static long PeakResidentBytes() => ReadStatusKb("VmHWM:") is { } kb ? kb * 1024 : -1;

    /// <summary>Resident set size now in bytes (VmRSS), or -1 when /proc does not say.</summary>
    public static long ResidentBytes() => ReadStatusKb("VmRSS:") is { } kb ? kb * 1024 : -1;

    /// <summary>
    /// Starts the peak over from the current size (writing 5 to /proc/self/clear_refs, Linux 4.0 and later),
    /// so that a later phase's peak is not the earlier one's. False when the kernel refused.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? ReadStatusKb(string field)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
                string[] parts = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], out long kb) ? kb : null;
            }
        }
        catch (IOException)
        {
            // Not Linux, or /proc not mounted: the caller reports the figure as unknown.
        }
        return null;
    }
}
