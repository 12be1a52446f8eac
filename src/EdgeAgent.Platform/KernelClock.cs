using System.Runtime.InteropServices;

using EdgeAgent.Core.Reads;

namespace EdgeAgent.Platform;

/// <summary>
/// The kernel's view of clock discipline, from adjtimex(2) in read-only mode: whether an NTP/PTP/GPS
/// daemon keeps the clock synchronised and its estimated error. Every read carries this, so the backend
/// can tell a trustworthy timestamp from a drifting one.
/// </summary>
public static partial class KernelClock
{
    private const int TimeError = 5;          // TIME_ERROR: clock not synchronised
    private const int StaUnsync = 0x0040;     // STA_UNSYNC
    private const int StaNano = 0x2000;       // STA_NANO: offset in ns instead of µs

    /// <summary>Reads the state; never throws (an unknown state is reported as such).</summary>
    public static ClockState Read()
    {
        Timex timex = default;
        int state;
        try
        {
            state = adjtimex(ref timex);
        }
        catch (EntryPointNotFoundException)
        {
            return ClockState.Unknown;
        }
        if (state < 0) return ClockState.Unknown;
        bool synced = state != TimeError && (timex.Status & StaUnsync) == 0;
        double offsetMs = (timex.Status & StaNano) != 0 ? timex.Offset / 1e6 : timex.Offset / 1e3;
        return new ClockState(synced, synced ? offsetMs : timex.EstError / 1e3, "kernel");
    }

    [LibraryImport("libc", EntryPoint = "adjtimex")]
    private static partial int adjtimex(ref Timex timex);

    // struct timex on 64-bit Linux (208 bytes); modes = 0 makes the call read-only.
    [StructLayout(LayoutKind.Explicit, Size = 208)]
    private struct Timex
    {
        [FieldOffset(0)] public uint Modes;
        [FieldOffset(8)] public long Offset;
        [FieldOffset(24)] public long MaxError;
        [FieldOffset(32)] public long EstError;
        [FieldOffset(40)] public int Status;
    }
}
