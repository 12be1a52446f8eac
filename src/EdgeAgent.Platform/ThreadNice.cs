using System.Runtime.InteropServices;

namespace EdgeAgent.Platform;

/// <summary>
/// The scheduling priority of the calling thread alone (Linux keeps a nice value per thread). Work that may
/// wait, such as redacting evidence, lowers its own thread so the frame loops get the cores first.
/// </summary>
public static partial class ThreadNice
{
    /// <summary>The calling thread's nice value, or null when it cannot be read.</summary>
    public static int? Current()
    {
        Marshal.SetLastPInvokeError(0);
        int nice = getpriority(PrioProcess, gettid());
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    /// <summary>
    /// Makes the calling thread <paramref name="by"/> nicer (at most 19; lowering a priority needs no
    /// privilege). Threads it starts afterwards inherit it. Returns the new value, or null when refused.
    /// </summary>
    public static int? Lower(int by)
    {
        if (Current() is not { } current) return null;
        int target = Math.Clamp(current + by, -20, 19);
        return setpriority(PrioProcess, gettid(), target) == 0 ? target : null;
    }

    private const int PrioProcess = 0;   // PRIO_PROCESS: with a thread id, that thread only (Linux)

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int getpriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);
}
