using System.Text;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Hosting;
using EdgeAgent.Privacy;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Storage;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Tests;

/// <summary>The recorder with a real outbox file: the passes waiting together go in one transaction.</summary>
public sealed class ReadRecorderBatchTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly SqliteOutbox _outbox;
    private readonly ReadRecorder _recorder;

    public ReadRecorderBatchTests()
    {
        HardwareProfile profile = HardwareProfileLoader.Load("anpr-1080p-ir", RepoPaths.HardwareProfiles);
        var hasher = new PlateHasher(UnitSecret.Create(_dir.File("unit.key")), TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        _outbox = new SqliteOutbox(_dir.File("outbox.db"));
        _recorder = new ReadRecorder(new Pseudonymiser(hasher, new ReadOrigin("site-1", "cam-1", profile)), _outbox,
            () => ClockState.Unknown, NullLogger<ReadRecorder>.Instance);
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task RunAsync_PassesWaitingTogether_CommitsThemAsOneBatchInOrderThenWakesTheForwarder()
    {
        var unsentAtWake = new List<long>();
        _recorder.Committed = () => unsentAtWake.Add(_outbox.GetStats().Unsent);
        for (int i = 0; i < 20; i++) _recorder.OnPass(Pass(i));
        _recorder.Complete();

        await _recorder.RunAsync(CancellationToken.None);

        Assert.Equal(20, _recorder.Recorded);
        Assert.Equal(0, _recorder.Pending);
        Assert.Equal([20L], unsentAtWake);   // one wake, after the one commit that holds all 20
        var unsent = _outbox.ReadUnsent(0, 100);
        Assert.Equal(Enumerable.Range(1, 20).Select(s => (long)s), unsent.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Start.AddSeconds(i)), unsent.Select(e => e.Event.Time));   // the passes' order
        Assert.Equal(20, unsent.Select(e => e.Event.Id).Distinct().Count());
        AssertNoPlateTextInTheOutboxFiles();
    }

    [Fact]
    public async Task RunAsync_MorePassesThanOneBatch_CommitsThemAllInBatchesOfTheLimit()
    {
        int wakes = 0;
        _recorder.Committed = () => wakes++;
        int count = ReadRecorder.BatchLimit * 2 + 5;
        for (int i = 0; i < count; i++) _recorder.OnPass(Pass(i));
        _recorder.Complete();

        await _recorder.RunAsync(CancellationToken.None);

        Assert.Equal(count, _recorder.Recorded);
        Assert.Equal(3, wakes);
        Assert.Equal(Enumerable.Range(0, count).Select(i => Start.AddSeconds(i)), _outbox.ReadUnsent(0, 1000).Select(e => e.Event.Time));
    }

    [Fact]
    public async Task RunAsync_OneReadOfTheBatchCannotBeStored_StoresTheOthersThenStopsAsASingleFailedAppendDoes()
    {
        string taken = Ulid.NewUlid(Start).ToString();
        _outbox.Append(new PlateReadEvent
        {
            Id = taken, Time = Start, Site = "site-1", Camera = "cam-1", Lane = "1", Direction = "north", PlateHash = new string('0', 64),
            KeyId = "k", Confidence = 0.9f, Layout = PlateLayout.GbCurrent, MatchesGrammar = true, Clock = ClockState.Unknown, Frames = 3,
        });
        int wakes = 0;
        _recorder.Committed = () => wakes++;
        // The 4th read gets an id the outbox already holds: its row is refused, the batch's transaction with it.
        int n = 0;
        _recorder.Enrich = (read, _) => ++n == 4 ? read with { Id = taken } : read;
        for (int i = 0; i < 10; i++) _recorder.OnPass(Pass(i));
        _recorder.Complete();

        var e = await Assert.ThrowsAsync<SqliteException>(() => _recorder.RunAsync(CancellationToken.None));

        Assert.Contains("UNIQUE", e.Message, StringComparison.Ordinal);
        Assert.Equal(9, _recorder.Recorded);
        Assert.Equal(1, wakes);   // the nine stored are sent
        Assert.Equal(10, _outbox.GetStats().Unsent);
        Assert.Equal([Start, .. Enumerable.Range(0, 10).Where(i => i != 3).Select(i => Start.AddSeconds(i))],
            _outbox.ReadUnsent(0, 100).Select(r => r.Event.Time));
    }

    private void AssertNoPlateTextInTheOutboxFiles()
    {
        foreach (string file in Directory.GetFiles(_dir.Path, "outbox.db*"))
        {
            byte[] bytes = File.ReadAllBytes(file);
            Assert.DoesNotContain("AB12CDE", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain("AB12CDE", Encoding.Unicode.GetString(bytes), StringComparison.Ordinal);
        }
    }

    private static VehiclePass Pass(int i) => new()
    {
        Text = "AB12CDE", Country = CountryCode.GreatBritain, Layout = PlateLayout.GbCurrent, MatchesGrammar = true, Confidence = 0.93f,
        Observations = 20, FirstFrame = i * 30, LastFrame = i * 30 + 20, FirstSeen = Start.AddSeconds(i).AddMilliseconds(-800),
        LastSeen = Start.AddSeconds(i), BestFrame = i * 30 + 18, CameraId = "cam-1",
        BestBox = new PlateCandidate { CenterX = 900, CenterY = 800, Width = 300, Height = 64, X = 750, Y = 768, BoundsWidth = 300, BoundsHeight = 64, Score = 0.9f },
    };
}
