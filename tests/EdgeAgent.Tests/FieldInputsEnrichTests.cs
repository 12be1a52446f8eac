using System.Globalization;
using System.Text;

using Microsoft.Extensions.Logging.Abstractions;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Hosting;
using EdgeAgent.Platform.Serial;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Tests;

public class FieldInputsEnrichTests
{
    private static readonly DateTimeOffset Seen = new(2026, 11, 23, 16, 0, 10, TimeSpan.Zero);

    private static FieldInputsService Inputs(bool trigger, bool gps)
    {
        HardwareProfile profile = HardwareProfileLoader.Load("anpr-1080p-ir", RepoPaths.HardwareProfiles) with
        {
            Serial = new SerialInputs(
                trigger ? new TriggerInput("/dev/ttyS1", 9600, TimeSpan.FromSeconds(1)) : null,
                gps ? new GpsInput("/dev/ttyACM0", 9600, TimeSpan.FromSeconds(1)) : null),
        };
        return new FieldInputsService(profile, TimeProvider.System, NullLoggerFactory.Instance);
    }

    private static PlateReadEvent Read(ClockState clock) => new()
    {
        Id = "01JD0000000000000000000000", Time = Seen, Site = "s", Camera = "c", Lane = "2", Direction = "southbound",
        PlateHash = new string('a', 64), KeyId = "cd3a75b9:2026-11-23", Confidence = 0.9f, Layout = PlateLayout.GbCurrent,
        MatchesGrammar = true, Clock = clock, Frames = 9,
    };

    [Fact]
    public void Enrich_PulseInTheWindow_MarksTheRead_NoneLeft_MarksItFalse()
    {
        FieldInputsService inputs = Inputs(trigger: true, gps: false);
        inputs.Triggers!.Add(Seen.AddSeconds(-1.5), "2");
        PlateReadEvent first = inputs.Enrich(Read(new ClockState(true, 0.1, "kernel")), Seen.AddSeconds(-1));
        PlateReadEvent second = inputs.Enrich(Read(new ClockState(true, 0.1, "kernel")), Seen.AddSeconds(-1));
        Assert.True(first.Triggered);
        Assert.False(second.Triggered);   // one pulse, one vehicle
        Assert.Null(first.Position);
    }

    [Fact]
    public void Enrich_NoInputsOfAKind_LeavesItsFieldNull()
    {
        PlateReadEvent read = Inputs(trigger: false, gps: true).Enrich(Read(new ClockState(true, 0.1, "kernel")), Seen);
        Assert.Null(read.Triggered);
        Assert.Null(read.Position);  // a GPS without a fix yet
    }

    [Fact]
    public void Enrich_KernelClockUnsynced_TakesTheGpsVerdict_SyncedKernelWins()
    {
        FieldInputsService inputs = Inputs(trigger: false, gps: true);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string body = string.Create(CultureInfo.InvariantCulture, $"GPRMC,{now:HHmmss.ff},A,5130.08184,N,00008.51340,W,0.0,,{now:ddMMyy},,,A");
        byte sum = 0;
        foreach (char c in body) sum ^= (byte)c;
        string line = string.Create(CultureInfo.InvariantCulture, $"${body}*{sum:X2}");
        Assert.Equal(LineVerdict.Accepted, inputs.Gps!.OnLine(Encoding.ASCII.GetBytes(line), now.AddMilliseconds(180), out _));

        PlateReadEvent unsynced = inputs.Enrich(Read(new ClockState(false, 16000, "kernel")), Seen);
        Assert.Equal("gps", unsynced.Clock.Source);
        Assert.True(unsynced.Clock.Synced);
        Assert.InRange(unsynced.Clock.OffsetMs, 100, 300);
        Assert.Equal(new GeoPosition(51.501364, -0.14189), unsynced.Position);

        PlateReadEvent synced = inputs.Enrich(Read(new ClockState(true, 0.2, "kernel")), Seen);
        Assert.Equal("kernel", synced.Clock.Source);
    }
}
