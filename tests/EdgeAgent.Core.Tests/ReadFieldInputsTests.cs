using System.Text;
using System.Text.Json;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Tests;

/// <summary>The read fields that come from the serial inputs: trigger and position.</summary>
public class ReadFieldInputsTests
{
    private static PlateReadEvent Marked() =>
        ReadMessageTests.Sample() with { Triggered = true, Position = new GeoPosition(51.5013641, -0.1418991) };

    [Fact]
    public void Serialize_WithTriggerAndPosition_RoundTrips()
    {
        PlateReadEvent copy = ReadMessage.Deserialize(ReadMessage.Serialize(Marked()));
        Assert.True(copy.Triggered);
        Assert.Equal(new GeoPosition(51.501364, -0.141899), copy.Position);
    }

    [Fact]
    public void Encode_UnitWithoutInputs_LeavesTheFieldsOut()
    {
        string json = Encoding.UTF8.GetString(ReadMessage.Encode(ReadMessageTests.Sample(), historical: false));
        Assert.DoesNotContain("\"trigger\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"position\"", json, StringComparison.Ordinal);
        Assert.Null(ReadMessage.Deserialize(json).Triggered);
    }

    [Fact]
    public void Encode_NotGranted_LeavesTheFieldsOut_GrantedSendsThem()
    {
        using (var doc = JsonDocument.Parse(ReadMessage.Encode(Marked(), historical: false, ReadFields.ChargingDefault)))
        {
            Assert.False(doc.RootElement.TryGetProperty("trigger", out _));
            Assert.False(doc.RootElement.TryGetProperty("position", out _));
        }
        var granted = new HashSet<string>(ReadFields.ChargingDefault) { ReadFields.Trigger, ReadFields.Position };
        using (var doc = JsonDocument.Parse(ReadMessage.Encode(Marked(), historical: false, granted)))
        {
            Assert.True(doc.RootElement.GetProperty("trigger").GetBoolean());
            Assert.Equal(51.501364, doc.RootElement.GetProperty("position").GetProperty("lat").GetDouble());
        }
        Assert.Contains(ReadFields.Trigger, ReadFields.Grantable);
        Assert.Contains(ReadFields.Position, ReadFields.Grantable);
    }
}
