using System.Runtime.InteropServices;

namespace EdgeAgent.Platform;

/// <summary>
/// The scheduling priority of the calling thread alone (Linux keeps a nice value and a policy per thread). Work
/// that may wait, such as redacting evidence, lowers its own thread so the frame loops get the cores first.
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

    /// <summary>
    /// Puts the calling thread in Linux's SCHED_IDLE class: it runs only on a core that no normal thread
    /// wants (weaker than nice 19, which still takes about 1.5 % of a core from a nice-0 thread beside it).
    /// Needs no privilege. True when the kernel took it.
    /// </summary>
    public static bool Idle()
    {
        var none = new SchedParam();
        return sched_setscheduler(gettid(), SchedIdle, ref none) == 0;
    }

    /// <summary>True when the calling thread is in SCHED_IDLE.</summary>
    public static bool IsIdle() => sched_getscheduler(gettid()) == SchedIdle;

    private const int PrioProcess = 0;   // PRIO_PROCESS: with a thread id, that thread only (Linux)
    private const int SchedIdle = 5;     // SCHED_IDLE in linux/sched.h

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;   // sched_priority: 0 for SCHED_IDLE
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int getpriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int sched_setscheduler(int pid, int policy, ref SchedParam param);

    [LibraryImport("libc", EntryPoint = "sched_getscheduler", SetLastError = true)]
    private static partial int sched_getscheduler(int pid);
}
