using System.Diagnostics;
using System.Globalization;
using System.Text;

using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Platform.Serial;
using EdgeAgent.Storage;
using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// The real agent with both serial inputs on socat ptys: a loop detector sending a pulse per vehicle (and
/// noise), a GPS receiver sending NMEA (and noise). Every read of a short clip, played at its own pace,
/// must come out marked as triggered and carrying the GPS position; the noise is counted and skipped.
/// </summary>
public class FieldInputsTests
{
    private const double Latitude = 51.501364, Longitude = -0.14189;

    [Fact, Trait("Category", "Integration")]
    public async Task Replay_WithTriggerAndGpsOnPtys_MarksEveryReadAndSkipsTheNoise()
    {
        using var dir = new TempDirectory("edgeagent-field");
        using var trigger = SocatPtyPair.Start();
        using var gps = SocatPtyPair.Start();
        string clip = await Clips.FirstSecondsAsync(SampleTruth.BundledSample, seconds: 9, dir.File("clip.mp4"));
        string profile = dir.File("profile.json");
        await File.WriteAllTextAsync(profile, ProfileWithSerial(trigger.AgentEnd, gps.AgentEnd));

        using var stop = new CancellationTokenSource();
        Task devices = Task.Run(() => PlayDevices(trigger.DeviceEnd, gps.DeviceEnd, stop.Token));
        AgentRun run;
        try
        {
            run = await AgentProcess.RunAsync(
                ["replay", clip, "--realtime", $"--Camera:Profile={profile}", $"--Storage:Path={dir.File("outbox.db")}"],
                TimeSpan.FromMinutes(3), workingDirectory: dir.Path);
        }
        finally
        {
            stop.Cancel();
            await devices;
        }

        Assert.True(run.ExitCode == 0, run.ToString());
        using var outbox = new SqliteOutbox(dir.File("outbox.db"));
        IReadOnlyList<OutboxEntry> reads = outbox.ReadUnsent(0, 100);
        Assert.True(reads.Count >= 2, $"expected the clip's passes, got {reads.Count}\n{run}");
        foreach (OutboxEntry entry in reads)
        {
            Assert.True(entry.Event.Triggered, $"read {entry.Event.Id} at {entry.Event.Time:HH:mm:ss.fff} was not matched to a loop pulse\n{run}");
            Assert.Equal(new GeoPosition(Latitude, Longitude), entry.Event.Position);
        }
        string log = run.Output + run.Errors;
        Assert.Contains("Serial trigger open on", log, StringComparison.Ordinal);
        Assert.Contains("Serial gps open on", log, StringComparison.Ordinal);
        Assert.Contains("Serial trigger: skipped malformed line", log, StringComparison.Ordinal);
        Assert.Contains("Serial gps: skipped malformed line", log, StringComparison.Ordinal);
        Assert.Matches(@"Vehicle trigger: \d+ vehicles on the loop, [1-9]\d* matched a read", log);
    }

    // The loop detector pulses every 400 ms (busier than any road, so every pass has one nearby); the GPS
    // sends GGA and RMC each second. Both add noise: a wrong-speed burst, a corrupted sentence.
    private static void PlayDevices(string triggerEnd, string gpsEnd, CancellationToken stop)
    {
        using var loop = SerialPort.Open(triggerEnd, 9600, TimeSpan.FromMilliseconds(100));
        using var receiver = SerialPort.Open(gpsEnd, 9600, TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();
        int tick = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                loop.Write(tick % 7 == 3 ? "\u00f0\u00f8\u00fe\r\nVEH,9x\r\n"u8 : "VEH\r\n"u8);
                if (tick % 2 == 0)
                {
                    DateTimeOffset now = DateTimeOffset.UtcNow;
                    receiver.Write(Encoding.ASCII.GetBytes(GgaLine(now) + "\r\n" + RmcLine(now) + "\r\n"));
                    if (tick % 6 == 0) receiver.Write("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*00\r\n"u8);
                }
            }
            catch (SerialPortException)
            {
                return;
            }
            tick++;
            // One tick every 400 ms on average; a late tick (a busy machine) is sent at once, never waited for.
            TimeSpan untilNextTick = TimeSpan.FromMilliseconds(400 * tick) - clock.Elapsed;
            if (untilNextTick > TimeSpan.Zero) stop.WaitHandle.WaitOne(untilNextTick);
        }
    }

    private static string GgaLine(DateTimeOffset t) => Sentence(string.Create(CultureInfo.InvariantCulture,
        $"GNGGA,{t:HHmmss.ff},5130.08184,N,00008.51340,W,1,11,0.8,21.0,M,45.0,M,,"));

    private static string RmcLine(DateTimeOffset t) => Sentence(string.Create(CultureInfo.InvariantCulture,
        $"GNRMC,{t:HHmmss.ff},A,5130.08184,N,00008.51340,W,0.01,,{t:ddMMyy},,,A"));

    private static string Sentence(string body)
    {
        byte sum = 0;
        foreach (char c in body) sum ^= (byte)c;
        return string.Create(CultureInfo.InvariantCulture, $"${body}*{sum:X2}");
    }

    private static string ProfileWithSerial(string triggerDevice, string gpsDevice)
    {
        string shipped = File.ReadAllText(Path.Combine(RepoPaths.HardwareProfiles, "anpr-1080p-ir.json"));
        int end = shipped.LastIndexOf('}');
        return shipped[..end].TrimEnd() + $$"""
            ,
              "serial": {
                "trigger": { "device": "{{triggerDevice}}", "baud": 9600, "matchWindowMs": 1500 },
                "gps": { "device": "{{gpsDevice}}", "baud": 9600 }
              }
            }
            """;
    }
}
