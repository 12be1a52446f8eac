namespace EdgeAgent.Platform.Serial;

/// <summary>Receives one complete line (without its CR/LF).</summary>
public delegate void LineHandler(ReadOnlySpan<byte> line);

/// <summary>
/// Cuts a byte stream into lines ended by LF, CR or CRLF. Empty lines are dropped; a line longer than the
/// limit is noise (a wrong baud rate, a device babbling binary): it is dropped whole, up to its end, and
/// counted. No allocation per line: lines are handed out as spans of one reused buffer.
/// </summary>
public sealed class LineAssembler
{
    private readonly byte[] _buffer;
    private int _length;
    private bool _discarding;

    public LineAssembler(int maxLineLength = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 16);
        _buffer = new byte[maxLineLength];
    }

    /// <summary>Lines dropped for being longer than the limit.</summary>
    public long Overlong { get; private set; }

    public void Feed(ReadOnlySpan<byte> data, LineHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        foreach (byte b in data)
        {
            if (b is (byte)'\n' or (byte)'\r')
            {
                if (!_discarding && _length > 0) handler(_buffer.AsSpan(0, _length));
                _length = 0;
                _discarding = false;
                continue;
            }
            if (_discarding) continue;
            if (_length == _buffer.Length)
            {
                Overlong++;
                _discarding = true;
                _length = 0;
                continue;
            }
            _buffer[_length++] = b;
        }
    }

    /// <summary>Forgets a partial line (after the device was reopened, its first bytes belong to nothing).</summary>
    public void Reset()
    {
        _length = 0;
        _discarding = false;
    }

    /// <summary>True when every byte is printable ASCII (what both line protocols are made of).</summary>
    public static bool IsPrintableAscii(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
            if (b is < 0x20 or > 0x7E) return false;
        return true;
    }
}
