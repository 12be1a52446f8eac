using System.Diagnostics;

using EdgeAgent.Platform.Serial;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Platform.Tests;

/// <summary>The termios binding against real ptys made by socat: what a USB serial adapter looks like to the agent.</summary>
public class SerialPortTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void Read_RawMode_EveryByteArrivesUnchanged()
    {
        using var pair = SocatPtyPair.Start();
        using var port = SerialPort.Open(pair.AgentEnd, 9600, Timeout);
        using var device = SerialPort.Open(pair.DeviceEnd, 9600, Timeout);
        // Every byte value, including CR (no CR->LF), ^C (no signal), ^D (no EOF), DEL (no erase), XON/XOFF.
        byte[] sent = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        device.Write(sent);

        var received = new List<byte>();
        var buffer = new byte[128];
        var clock = Stopwatch.StartNew();
        while (received.Count < sent.Length && clock.Elapsed < TimeSpan.FromSeconds(5))
            received.AddRange(buffer.AsSpan(0, port.Read(buffer)).ToArray());
        Assert.Equal(sent, received);
    }

    [Fact]
    public void Read_NothingArrives_ReturnsZeroAfterTheTimeoutInsteadOfBlocking()
    {
        using var pair = SocatPtyPair.Start();
        using var port = SerialPort.Open(pair.AgentEnd, 4800, Timeout);
        var clock = Stopwatch.StartNew();
        int n = port.Read(new byte[64]);
        Assert.Equal(0, n);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Read_FarEndGone_ThrowsSayingTheDeviceWentAway()
    {
        using var pair = SocatPtyPair.Start();
        using var port = SerialPort.Open(pair.AgentEnd, 9600, Timeout);
        pair.Kill();
        var buffer = new byte[64];
        var e = Assert.Throws<SerialPortException>(() =>
        {
            for (int i = 0; i < 20; i++) port.Read(buffer);
        });
        Assert.Contains("went away", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingDevice_NamesTheDeviceAndTheFix()
    {
        var e = Assert.Throws<SerialPortException>(() => SerialPort.Open("/dev/ttyNOPE7", 9600, Timeout));
        Assert.Contains("/dev/ttyNOPE7", e.Message, StringComparison.Ordinal);
        Assert.Contains("open failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("check the cable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotATerminal_IsRefused()
    {
        var e = Assert.Throws<SerialPortException>(() => SerialPort.Open("/dev/null", 9600, Timeout));
        Assert.Contains("not a terminal device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnsupportedBaud_ListsTheSupportedOnes()
    {
        using var pair = SocatPtyPair.Start();
        var e = Assert.Throws<SerialPortException>(() => SerialPort.Open(pair.AgentEnd, 9601, Timeout));
        Assert.Contains("9601", e.Message, StringComparison.Ordinal);
        Assert.Contains("115200", e.Message, StringComparison.Ordinal);
    }
}
