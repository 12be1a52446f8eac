using System.Runtime.InteropServices;

namespace EdgeAgent.Platform;

/// <summary>
/// sd_notify(3) through libsystemd: READY=1 once the agent is up, WATCHDOG=1 while it is healthy, STOPPING=1
/// on the way out. Outside systemd (no NOTIFY_SOCKET) every call is a no-op, and a box without libsystemd
/// runs on without it: the unit's Type=notify is what needs it, and systemd ships the library.
/// </summary>
public sealed partial class SystemdNotifier
{
    private const string Library = "libsystemd.so.0";
    private bool _unavailable;

    /// <summary>Why the last call could not reach systemd, if it could not (for one log line).</summary>
    public string? Problem { get; private set; }

    /// <summary>True when the service manager listens (NOTIFY_SOCKET is set).</summary>
    public static bool IsSupervised => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>
    /// How often to send WATCHDOG=1: half of WatchdogSec (the unit's setting, passed as WATCHDOG_USEC), or
    /// null when the watchdog is off or meant for another process (WATCHDOG_PID).
    /// </summary>
    public TimeSpan? WatchdogInterval()
    {
        if (!IsSupervised || _unavailable) return null;
        try
        {
            int enabled = sd_watchdog_enabled(0, out ulong usec);
            if (enabled <= 0 || usec == 0) return null;
            return TimeSpan.FromMicroseconds(usec / 2);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            MarkUnavailable(e);
            return null;
        }
    }

    public bool Ready(string status) => Notify($"READY=1\nSTATUS={status}");

    public bool Watchdog() => Notify("WATCHDOG=1");

    public bool Stopping() => Notify("STOPPING=1");

    public bool Status(string status) => Notify($"STATUS={status}");

    /// <summary>Sends one state string; true when systemd was told, false when nobody listens or it failed.</summary>
    public bool Notify(string state)
    {
        if (!IsSupervised || _unavailable) return false;
        try
        {
            int rc = sd_notify(0, state);
            if (rc < 0) Problem = $"sd_notify failed: {Marshal.GetPInvokeErrorMessage(-rc)} ({rc})";
            return rc > 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            MarkUnavailable(e);
            return false;
        }
    }

    private void MarkUnavailable(Exception e)
    {
        _unavailable = true;
        Problem = $"{Library} could not be loaded ({e.Message}): install Debian's libsystemd0 for Type=notify";
    }

    [LibraryImport(Library, EntryPoint = "sd_notify", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sd_notify(int unsetEnvironment, string state);

    [LibraryImport(Library, EntryPoint = "sd_watchdog_enabled")]
    private static partial int sd_watchdog_enabled(int unsetEnvironment, out ulong usec);
}
