using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeAgent.Platform.Serial;

/// <summary>A serial call failed. The message names the device, the call and the system's reason.</summary>
public sealed class SerialPortException : IOException
{
    public SerialPortException(string device, string call, int errno, string? fix = null)
        : base($"serial {device}: {call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}){(fix is null ? "" : ": " + fix)}")
    {
        Device = device;
        Call = call;
        Errno = errno;
    }

    public SerialPortException(string device, string message) : base($"serial {device}: {message}")
    {
        Device = device;
        Call = "";
    }

    public SerialPortException() { }
    public SerialPortException(string message) : base(message) { }
    public SerialPortException(string message, Exception inner) : base(message, inner) { }

    public string Device { get; } = "";
    public string Call { get; } = "";
    public int Errno { get; }
}

/// <summary>
/// A serial line in raw mode (8N1, no flow control, no echo, no line editing) through termios. Reads use
/// VMIN=0 and VTIME, so a read returns what has arrived or nothing after the timeout: a blocking tty read
/// would ignore cancellation, and a reader thread could never be stopped. One reader at a time.
/// </summary>
public sealed unsafe class SerialPort : IDisposable
{
    private readonly SafeSerialHandle _handle;
    private readonly TimeSpan _readTimeout;
    private int _quickEmptyReads;

    private SerialPort(string device, int baud, SafeSerialHandle handle, TimeSpan readTimeout)
    {
        Device = device;
        Baud = baud;
        _handle = handle;
        _readTimeout = readTimeout;
    }

    public string Device { get; }
    public int Baud { get; }

    /// <summary>The baud rates termios can set here.</summary>
    public static IReadOnlyList<int> SupportedBauds { get; } = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800];

    /// <summary>
    /// Opens <paramref name="device"/> (e.g. /dev/ttyUSB0, /dev/ttyS1, a pty) raw at <paramref name="baud"/>.
    /// <paramref name="readTimeout"/> (0.1 s .. 25.5 s, in tenths) is the longest a <see cref="Read"/> waits.
    /// </summary>
    public static SerialPort Open(string device, int baud, TimeSpan readTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        uint speed = SerialInterop.SpeedConstant(baud)
                     ?? throw new SerialPortException(device, $"baud rate {baud} is not supported: use one of {string.Join(", ", SupportedBauds)}");
        int tenths = (int)Math.Clamp(Math.Round(readTimeout.TotalMilliseconds / 100), 1, 255);

        int fd = SerialInterop.open(device, SerialInterop.ORdWr | SerialInterop.ONoCtty | SerialInterop.ONonBlock | SerialInterop.OCloExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SerialPortException(device, "open", errno, errno switch
            {
                2 => "the device does not exist: check the cable and the device name (ls /dev/ttyUSB* /dev/ttyACM* /dev/ttyS*)",
                13 => "permission denied: add the agent's user to the dialout group (the service unit does)",
                16 => "the device is busy: another program (gpsd, ModemManager?) holds it",
                _ => null,
            });
        }
        var handle = new SafeSerialHandle(fd);
        try
        {
            Configure(handle, device, speed, tenths);
            return new SerialPort(device, baud, handle, TimeSpan.FromMilliseconds(tenths * 100));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Configure(SafeSerialHandle handle, string device, uint speed, int tenths)
    {
        if (SerialInterop.isatty(handle) != 1)
            throw new SerialPortException(device, "is not a terminal device (a serial port or pty): check the device name");
        if (SerialInterop.tcgetattr(handle, out SerialInterop.Termios t) != 0) ThrowLast(device, "tcgetattr");
        SerialInterop.cfmakeraw(ref t);
        // 8 data bits, no parity, one stop bit, no hardware flow control; ignore modem lines, enable receiver.
        t.CFlag &= ~(SerialInterop.CSize | SerialInterop.ParEnb | SerialInterop.CStopB | SerialInterop.CrtsCts | SerialInterop.HupCl);
        t.CFlag |= SerialInterop.Cs8 | SerialInterop.CRead | SerialInterop.CLocal;
        t.Cc[SerialInterop.VMin] = 0;
        t.Cc[SerialInterop.VTime] = (byte)tenths;
        if (SerialInterop.cfsetspeed(ref t, speed) != 0) ThrowLast(device, "cfsetspeed");
        if (SerialInterop.tcsetattr(handle, SerialInterop.TcsaNow, t) != 0) ThrowLast(device, "tcsetattr");
        // O_NONBLOCK was only for the open (a port without carrier would block it); VTIME does the waiting now.
        int flags = SerialInterop.fcntl(handle, SerialInterop.FGetFl, 0);
        if (flags < 0 || SerialInterop.fcntl(handle, SerialInterop.FSetFl, flags & ~SerialInterop.ONonBlock) < 0)
            ThrowLast(device, "fcntl(O_NONBLOCK)");
        // Whatever queued up before we configured the line is at the wrong speed or stale.
        _ = SerialInterop.tcflush(handle, SerialInterop.TciFlush);
    }

    /// <summary>
    /// Reads what has arrived, waiting at most the read timeout. Returns the byte count, 0 when nothing came.
    /// Throws <see cref="SerialPortException"/> when the device is gone (unplugged, or the pty's other end closed).
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            long started = Stopwatch.GetTimestamp();
            nint n;
            fixed (byte* p = buffer)
            {
                n = SerialInterop.read(_handle, p, buffer.Length);
            }
            if (n > 0)
            {
                _quickEmptyReads = 0;
                return (int)n;
            }
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is SerialInterop.EIntr or SerialInterop.EAgain) continue;
                throw new SerialPortException(Device, "read", errno,
                    errno == SerialInterop.EIo ? "the device went away (unplugged, or the other end closed)" : null);
            }
            // 0 bytes: the VTIME timeout, or a hung-up line, which also reads 0 but at once. A few immediate
            // empty reads in a row can only be a hang-up.
            if (Stopwatch.GetElapsedTime(started) >= _readTimeout / 2)
            {
                _quickEmptyReads = 0;
                return 0;
            }
            if (++_quickEmptyReads >= 3)
                throw new SerialPortException(Device, "the line hung up (end of file): the device went away or the other end closed");
            Thread.Sleep(10);
            return 0;
        }
    }

    /// <summary>Writes all of <paramref name="data"/> (commands to a device, and the tests' far end).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            nint n;
            fixed (byte* p = data)
            {
                n = SerialInterop.write(_handle, p, data.Length);
            }
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is SerialInterop.EIntr or SerialInterop.EAgain) continue;
                throw new SerialPortException(Device, "write", errno);
            }
            data = data[(int)n..];
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void ThrowLast(string device, string call) =>
        throw new SerialPortException(device, call, Marshal.GetLastPInvokeError());
}
