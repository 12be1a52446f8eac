using System.Runtime.InteropServices;

namespace EdgeAgent.Platform;

/// <summary>
/// CPU time consumed by the calling thread, from clock_gettime(CLOCK_THREAD_CPUTIME_ID). The bench takes it
/// around each frame on the processing thread: unlike wall time it does not grow when a busy machine leaves
/// the thread waiting for a core, so it says what one processing thread could do with a core to itself.
/// No allocation: called on the frame loop.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;   // CLOCK_THREAD_CPUTIME_ID in <time.h>

    /// <summary>The calling thread's CPU time in nanoseconds; 0 where the clock is not available.</summary>
    public static long Nanoseconds()
    {
        try
        {
            return clock_gettime(ClockThreadCpuTime, out Timespec t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : 0;
        }
        catch (EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clock, out Timespec time);

    // struct timespec on 64-bit Linux.
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
