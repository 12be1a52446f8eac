using System.Runtime.InteropServices;

namespace EdgeAgent.Platform.Serial;

/// <summary>
/// termios(3) and the file calls a serial line needs, from glibc; 1:1 with the C declarations. Internal:
/// only <see cref="SerialPort"/> and <see cref="SafeSerialHandle"/> call it. The constants are Linux's
/// generic values, the same on x86-64 and arm64 (the boxes this runs on).
/// </summary>
internal static unsafe partial class SerialInterop
{
    private const string Libc = "libc";

    internal const int ORdWr = 0x2;
    internal const int ONoCtty = 0x100;      // the line never becomes our controlling terminal
    internal const int ONonBlock = 0x800;    // open without waiting for carrier; cleared after open
    internal const int OCloExec = 0x80000;

    internal const int FGetFl = 3;
    internal const int FSetFl = 4;
    internal const int TcsaNow = 0;
    internal const int TciFlush = 0;

    internal const uint CSize = 0x30;
    internal const uint Cs8 = 0x30;
    internal const uint CStopB = 0x40;
    internal const uint CRead = 0x80;
    internal const uint ParEnb = 0x100;
    internal const uint HupCl = 0x400;
    internal const uint CLocal = 0x800;
    internal const uint CrtsCts = 0x80000000;

    internal const int VTime = 5;
    internal const int VMin = 6;

    internal const int EIntr = 4;
    internal const int EIo = 5;
    internal const int EAgain = 11;

    /// <summary>struct termios (glibc, Linux): four flag words, the line discipline, 32 control characters, two speeds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Termios
    {
        public uint IFlag;
        public uint OFlag;
        public uint CFlag;
        public uint LFlag;
        public byte Line;
        public fixed byte Cc[32];
        public uint ISpeed;
        public uint OSpeed;
    }

    [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int open(string path, int flags);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static partial nint read(SafeSerialHandle fd, byte* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    internal static partial nint write(SafeSerialHandle fd, byte* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int fcntl(SafeSerialHandle fd, int command, int argument);

    [LibraryImport(Libc, EntryPoint = "isatty")]
    internal static partial int isatty(SafeSerialHandle fd);

    [LibraryImport(Libc, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static partial int tcgetattr(SafeSerialHandle fd, out Termios termios);

    [LibraryImport(Libc, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static partial int tcsetattr(SafeSerialHandle fd, int when, in Termios termios);

    [LibraryImport(Libc, EntryPoint = "tcflush", SetLastError = true)]
    internal static partial int tcflush(SafeSerialHandle fd, int queue);

    [LibraryImport(Libc, EntryPoint = "cfmakeraw")]
    internal static partial void cfmakeraw(ref Termios termios);

    [LibraryImport(Libc, EntryPoint = "cfsetspeed", SetLastError = true)]
    internal static partial int cfsetspeed(ref Termios termios, uint speed);

    /// <summary>The Bnnn constant of a baud rate, or null for a rate termios has no constant for.</summary>
    internal static uint? SpeedConstant(int baud) => baud switch
    {
        1200 => 0x9,
        2400 => 0xB,
        4800 => 0xC,
        9600 => 0xD,
        19200 => 0xE,
        38400 => 0xF,
        57600 => 0x1001,
        115200 => 0x1002,
        230400 => 0x1003,
        460800 => 0x1004,
        _ => null,
    };
}

/// <summary>A serial line's file descriptor: the only code that closes it.</summary>
internal sealed class SafeSerialHandle : SafeHandle
{
    public SafeSerialHandle() : base(-1, ownsHandle: true) { }

    internal SafeSerialHandle(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    protected override bool ReleaseHandle() => SerialInterop.close((int)handle) == 0;
}
