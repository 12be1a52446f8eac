using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Storage.Tests;

/// <summary>The outbox tests' reads: id, time and hash all follow from one number, so order and identity are easy to check.</summary>
internal static class SampleReads
{
    public static PlateReadEvent Read(int n) => new()
    {
        Id = $"01JD{n:D22}",
        Time = DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000 + n),
        Site = "s", Camera = "c", Lane = "1", Direction = "north",
        PlateHash = n.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), KeyId = "k:2027-01-15",
        Confidence = 0.9f, Layout = PlateLayout.GbCurrent, MatchesGrammar = true, Clock = ClockState.Unknown, Frames = 5,
    };
}
