using System.Runtime.InteropServices;

namespace EdgeAgent.IntegrationTests;

/// <summary>Signals by PID, as systemd sends them.</summary>
public static partial class Signals
{
    /// <summary>SIGTERM: what `systemctl stop` sends; the agent stops in order.</summary>
    public static void Terminate(int pid) => _ = kill(pid, 15);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int kill(int pid, int signal);
}
