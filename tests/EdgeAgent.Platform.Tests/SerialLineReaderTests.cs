using System.Diagnostics;
using System.Text;

using Microsoft.Extensions.Logging.Abstractions;

using EdgeAgent.Platform.Serial;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Platform.Tests;

/// <summary>The serial readers end to end: a socat pty pair, the test playing the GPS or the loop detector.</summary>
public class SerialLineReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Gps_GoodSentencesAmongGarbage_AreUsedAndTheNoiseIsCountedAndSkipped()
    {
        using var pair = SocatPtyPair.Start();
        var gps = new GpsReceiver(TimeProvider.System);
        var reader = new SerialLineReader(new SerialInputOptions("gps", pair.AgentEnd, 9600), gps, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = reader.RunAsync(stop.Token);
        await WaitUntil(() => reader.Status.Open, "the reader opens the pty");

        using var device = SerialPort.Open(pair.DeviceEnd, 9600, TimeSpan.FromMilliseconds(100));
        var now = DateTimeOffset.UtcNow;
        var stream = new MemoryStream();
        void Line(string s) => stream.Write(Encoding.ASCII.GetBytes(s + "\r\n"));
        void Raw(byte[] b) => stream.Write(b);
        Raw([0x00, 0xFF, 0xFE, 0x13, 0x11]);                                   // line noise at power-up...
        Line(Nmea.Gga(now, 51.501364, -0.14189));                              // ...spoils the first sentence: malformed
        Line("$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*00");  // bad checksum
        Line(Nmea.Sentence("GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00"));  // ignored
        Raw(Enumerable.Repeat((byte)'7', 1000).ToArray());                     // babble: an over-long line
        Line("");
        Line("\u0001\u0002binary\u0003");                                      // malformed
        Raw(Encoding.ASCII.GetBytes(Nmea.Rmc(now, 51.501364, -0.14189) + "\n"));  // accepted (LF only)
        Line("$GPRMC,123519,A,4807.0");                                        // truncated: malformed
        Raw(Encoding.ASCII.GetBytes(Nmea.Gga(now, 51.501364, -0.14189) + "\r"));   // accepted (CR only)
        device.Write(stream.ToArray());

        await WaitUntil(() => reader.Status.Lines >= 7 && reader.Status.Overlong == 1, "every line is handled", () => reader.Status.ToString());
        SerialInputStatus status = reader.Status;
        Assert.Equal(2, status.Accepted);
        Assert.Equal(1, status.Ignored);
        Assert.Equal(4, status.Malformed);   // noise + sentence, bad checksum, binary, truncated
        Assert.Equal(1, status.Overlong);
        GpsSnapshot fix = gps.Snapshot();
        Assert.Equal(new Core.Reads.GeoPosition(51.501364, -0.14189), fix.Position);
        Assert.Equal(9, fix.Satellites);
        Assert.NotNull(fix.ClockOffsetMs);

        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Trigger_VehiclesAmongGarbage_AreCountedAndTheNoiseSkipped()
    {
        using var pair = SocatPtyPair.Start();
        var triggers = new VehicleTriggers(TimeProvider.System);
        var reader = new SerialLineReader(new SerialInputOptions("trigger", pair.AgentEnd, 19200), triggers, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = reader.RunAsync(stop.Token);
        await WaitUntil(() => reader.Status.Open, "the reader opens the pty");

        using var device = SerialPort.Open(pair.DeviceEnd, 19200, TimeSpan.FromMilliseconds(100));
        var random = new Random(7);
        var noise = new byte[100];
        random.NextBytes(noise);
        for (int i = 0; i < noise.Length; i++)
            if (noise[i] is (byte)'\n' or (byte)'\r') noise[i] = 0;   // one malformed line, not several
        device.Write("VEH\r\nVEH,1,52\r\n"u8);
        device.Write(noise);
        device.Write("\r\nVEH,2\r\nVEH,2,fast\r\nhello\r\nVEH\r\n"u8);

        await WaitUntil(() => reader.Status.Lines >= 7, "every line is handled", () => reader.Status.ToString());
        Assert.Equal(4, triggers.Snapshot().Vehicles);
        Assert.Equal(4, reader.Status.Accepted);
        Assert.Equal(3, reader.Status.Malformed);
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsPromptlyWhileTheLineIsSilent()
    {
        using var pair = SocatPtyPair.Start();
        var reader = new SerialLineReader(new SerialInputOptions("gps", pair.AgentEnd, 9600), new GpsReceiver(TimeProvider.System),
            TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = reader.RunAsync(stop.Token);
        await WaitUntil(() => reader.Status.Open, "the reader opens the pty");
        var clock = Stopwatch.StartNew();
        stop.Cancel();
        // A blocking tty read would never return here; VTIME lets the thread see the request.
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(reader.Status.Open);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RunAsync_DeviceUnpluggedAndBack_ReopensAndReadsAgain()
    {
        using var pair = SocatPtyPair.Start();
        var triggers = new VehicleTriggers(TimeProvider.System);
        var reader = new SerialLineReader(new SerialInputOptions("trigger", pair.AgentEnd, 9600) { MaxReopenDelay = TimeSpan.FromSeconds(1) },
            triggers, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = reader.RunAsync(stop.Token);
        await WaitUntil(() => reader.Status.Open, "the reader opens the pty");
        using (var device = SerialPort.Open(pair.DeviceEnd, 9600, TimeSpan.FromMilliseconds(100))) device.Write("VEH\n"u8);
        await WaitUntil(() => triggers.Snapshot().Vehicles == 1, "the first vehicle");

        pair.Kill();
        await WaitUntil(() => !reader.Status.Open && reader.Status.LastError is not null, "the reader notices the device is gone");
        Assert.False(running.IsCompleted);

        pair.Restart();
        await WaitUntil(() => reader.Status.Open && reader.Status.Opens == 2, "the reader reopens the device", () => reader.Status.ToString());
        using (var device = SerialPort.Open(pair.DeviceEnd, 9600, TimeSpan.FromMilliseconds(100))) device.Write("VEH,1\n"u8);
        await WaitUntil(() => triggers.Snapshot().Vehicles == 2, "a vehicle after the reopen");
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RunAsync_DeviceMissingAtStart_KeepsTryingAndSaysWhy()
    {
        using var dir = new TempDirectory();
        var reader = new SerialLineReader(new SerialInputOptions("gps", dir.File("ttyACM9"), 9600), new GpsReceiver(TimeProvider.System),
            TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = reader.RunAsync(stop.Token);
        await WaitUntil(() => reader.Status.LastError is not null, "the first attempt fails");
        Assert.Contains("does not exist", reader.Status.LastError, StringComparison.Ordinal);
        Assert.False(running.IsCompleted);
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task WaitUntil(Func<bool> condition, string what, Func<string>? state = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Wait) throw new TimeoutException($"not within {Wait.TotalSeconds} s: {what}. {state?.Invoke()}");
            await Task.Delay(20);
        }
    }
}
