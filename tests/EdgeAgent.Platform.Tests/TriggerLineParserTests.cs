using System.Text;

using FsCheck;
using FsCheck.Fluent;

using EdgeAgent.Platform.Serial;

namespace EdgeAgent.Platform.Tests;

public class TriggerLineParserTests
{
    [Theory]
    [InlineData("VEH", null, null)]
    [InlineData("VEH,2", "2", null)]
    [InlineData("VEH,L1,48", "L1", 48)]
    [InlineData("  VEH,1,0 ", "1", 0)]
    public void TryParse_Vehicle_GivesLaneAndSpeed(string line, string? lane, int? speed)
    {
        Assert.True(TriggerLineParser.TryParse(Encoding.ASCII.GetBytes(line), out TriggerLine t, out string? problem), problem);
        Assert.Equal(lane, t.Lane);
        Assert.Equal(speed, t.SpeedKmh);
    }

    [Theory]
    [InlineData("VEHICLE", "VEH")]
    [InlineData("veh", "VEH")]
    [InlineData("VEH,", "lane")]
    [InlineData("VEH,lane-1", "lane")]
    [InlineData("VEH,1,fast", "speed")]
    [InlineData("VEH,1,900", "speed")]
    [InlineData("VEH,1,40,7", "fields")]
    [InlineData("VEH\u0001", "ASCII")]
    public void TryParse_Noise_IsRefusedWithTheReason(string line, string reason)
    {
        Assert.False(TriggerLineParser.TryParse(Encoding.ASCII.GetBytes(line), out _, out string? problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AnyBytes_NeverThrows()
    {
        Arbitrary<byte[]> bytes = Gen.ArrayOf(Gen.Elements((byte)'V', (byte)'E', (byte)'H', (byte)',', (byte)'1', (byte)'9', (byte)' ', (byte)0, (byte)0xFF)).ToArbitrary();
        Check.QuickThrowOnFailure(Prop.ForAll(bytes, b =>
        {
            bool ok = TriggerLineParser.TryParse(b, out _, out string? problem);
            return ok == (problem is null);
        }));
    }
}
