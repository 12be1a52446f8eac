using System.Text;

using Microsoft.Extensions.Time.Testing;

using EdgeAgent.Core.Reads;
using EdgeAgent.Platform.Serial;

namespace EdgeAgent.Platform.Tests;

public class FieldInputStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);

    private static void Feed(ISerialLineHandler handler, string line, DateTimeOffset at) =>
        Assert.NotEqual(LineVerdict.Malformed, handler.OnLine(Encoding.ASCII.GetBytes(line), at, out _));

    [Fact]
    public void Gps_ClockOffset_IsTheSmallestRecentDelay()
    {
        var time = new FakeTimeProvider(Start);
        var gps = new GpsReceiver(time);
        // The box's clock is 2 s ahead; sentences arrive 120..400 ms after their second.
        int[] delays = [400, 120, 250, 300];
        for (int i = 0; i < delays.Length; i++)
        {
            DateTimeOffset gpsTime = Start.AddSeconds(i);
            DateTimeOffset boxTime = gpsTime.AddSeconds(2).AddMilliseconds(delays[i]);
            time.SetUtcNow(boxTime);
            Feed(gps, Nmea.Rmc(gpsTime, 51.5, -0.12), boxTime);
        }
        Assert.Equal(2120, gps.Snapshot().ClockOffsetMs!.Value, 3);
        Assert.Equal(new ClockState(false, 2120, "gps"), gps.Clock(toleranceMs: 1000));
        Assert.True(gps.Clock(toleranceMs: 5000)!.Synced);
    }

    [Fact]
    public void Gps_SilentReceiver_GoesStale()
    {
        var time = new FakeTimeProvider(Start);
        var gps = new GpsReceiver(time);
        Feed(gps, Nmea.Rmc(Start, 51.5, -0.12), Start.AddMilliseconds(150));
        Assert.Equal(new GeoPosition(51.5, -0.12), gps.Position);
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(gps.Position);
        Assert.Null(gps.Clock(1000));
    }

    [Fact]
    public void Gps_NoFixOrVoidStatus_GivesNoPosition()
    {
        var time = new FakeTimeProvider(Start);
        var gps = new GpsReceiver(time);
        Feed(gps, Nmea.Gga(Start, 51.5, -0.12, quality: 0), Start);
        Feed(gps, Nmea.Sentence("GPRMC,160000.00,V,5130.000000,N,00007.200000,W,,,231126,,,N"), Start);
        Assert.Null(gps.Position);
        Assert.Null(gps.Clock(1000));
        Assert.Equal(0, gps.Snapshot().FixQuality);
    }

    [Fact]
    public void Triggers_Claim_TakesTheNearestPulseInTheWindowOnce()
    {
        var time = new FakeTimeProvider(Start);
        var triggers = new VehicleTriggers(time);
        triggers.Add(Start.AddSeconds(10), lane: null);
        triggers.Add(Start.AddSeconds(11), lane: "2");
        var slack = TimeSpan.FromSeconds(1);

        Assert.True(triggers.Claim(Start.AddSeconds(10.8), Start.AddSeconds(11.4), "2", slack));   // the lane-2 pulse at 11 s
        Assert.True(triggers.Claim(Start.AddSeconds(10.8), Start.AddSeconds(11.4), "1", slack));   // the lane-less pulse at 10 s
        Assert.False(triggers.Claim(Start.AddSeconds(10.8), Start.AddSeconds(11.4), "1", slack));  // both taken
        Assert.False(triggers.Claim(Start.AddSeconds(20), Start.AddSeconds(21), null, slack));
        Assert.Equal(2, triggers.Snapshot().Matched);
    }

    [Fact]
    public void Triggers_LaneMismatch_IsNotAMatch()
    {
        var triggers = new VehicleTriggers(new FakeTimeProvider(Start));
        triggers.Add(Start, lane: "1");
        Assert.False(triggers.Claim(Start, Start, "2", TimeSpan.FromSeconds(1)));
        Assert.True(triggers.Claim(Start, Start, null, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Triggers_PulsesNoReadClaimed_CountAsUnmatchedAfterTheHorizon()
    {
        var time = new FakeTimeProvider(Start);
        var triggers = new VehicleTriggers(time, capacity: 8);
        for (int i = 0; i < 12; i++) triggers.Add(Start.AddSeconds(i), null);
        Assert.True(triggers.Claim(Start.AddSeconds(11), Start.AddSeconds(11), null, TimeSpan.Zero));
        // 4 fell out of the ring unclaimed; 7 still inside wait for their reads until the horizon passes.
        Assert.Equal(4, triggers.Snapshot().Unmatched);
        time.Advance(TimeSpan.FromMinutes(1));
        TriggerSnapshot s = triggers.Snapshot();
        Assert.Equal(12, s.Vehicles);
        Assert.Equal(1, s.Matched);
        Assert.Equal(11, s.Unmatched);
    }
}
