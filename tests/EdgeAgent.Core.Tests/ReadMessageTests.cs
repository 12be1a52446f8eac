using System.Text;
using System.Text.Json;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Tests;

public class ReadMessageTests
{
    internal static PlateReadEvent Sample(string id = "01JD0000000000000000000000") => new()
    {
        Id = id,
        Time = new DateTimeOffset(2026, 11, 23, 16, 11, 23, 123, TimeSpan.Zero),
        Site = "site-1", Camera = "cam-1", Lane = "2", Direction = "northbound",
        PlateHash = new string('a', 64), KeyId = "cd3a75b9:2026-11-23",
        Confidence = 0.9234f, Layout = PlateLayout.GbCurrent, MatchesGrammar = true,
        Clock = new ClockState(true, 0.25, "kernel"), Frames = 17,
    };

    [Fact]
    public void Serialize_ThenDeserialize_GivesTheSameEvent()
    {
        PlateReadEvent original = Sample();
        PlateReadEvent copy = ReadMessage.Deserialize(ReadMessage.Serialize(original));
        Assert.Equal(original with { Confidence = 0.923f }, copy with { Confidence = 0.923f });
        Assert.Equal(0.923f, copy.Confidence, 3);
    }

    [Fact]
    public void Encode_WithChargingPolicy_SendsOnlyTheAllowedFields()
    {
        byte[] payload = ReadMessage.Encode(Sample(), historical: true, ReadFields.ChargingDefault);
        using var doc = JsonDocument.Parse(payload);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(ReadFields.ChargingDefault.Concat(ReadFields.Always).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(ReadFields.Frames, names);
        Assert.True(doc.RootElement.GetProperty("historical").GetBoolean());
        Assert.Equal("2026-11-23T16:11:23.123Z", doc.RootElement.GetProperty("time").GetString());
        Assert.Equal("gb-current", doc.RootElement.GetProperty("layout").GetString());
    }

    [Fact]
    public void Encode_NoPolicy_HasNoRegistrationAnywhere()
    {
        string json = Encoding.UTF8.GetString(ReadMessage.Encode(Sample(), historical: false));
        Assert.DoesNotContain("AB12", json, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("{\"v\":1,", json, StringComparison.Ordinal);
    }

    // Persisted in the outbox and sent as strings: these values must never change (only grow).
    [Theory]
    [InlineData(PlateLayout.Unknown, 0, "unknown")]
    [InlineData(PlateLayout.GbCurrent, 1, "gb-current")]
    [InlineData(PlateLayout.GbPrefix, 2, "gb-prefix")]
    [InlineData(PlateLayout.GbSuffix, 3, "gb-suffix")]
    [InlineData(PlateLayout.GbDateless, 4, "gb-dateless")]
    [InlineData(PlateLayout.NorthernIreland, 5, "gb-ni")]
    [InlineData(PlateLayout.European, 6, "eu")]
    [InlineData(PlateLayout.UnitedStates, 7, "us")]
    public void PlateLayout_PersistedValues_NeverChange(PlateLayout layout, int stored, string name)
    {
        Assert.Equal(stored, (int)layout);
        Assert.Equal(name, layout.ToContractName());
        Assert.Equal(layout, PlateLayoutNames.FromContractName(name));
    }

    [Theory]
    [InlineData("site/1")]
    [InlineData("cam+")]
    [InlineData("#")]
    [InlineData("")]
    public void CheckLevel_WildcardsOrSeparators_AreRefused(string level) => Assert.NotNull(Topics.CheckLevel(level));
}
