using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.TestSupport;

using FsCheck;
using FsCheck.Fluent;
using static EdgeAgent.Storage.Tests.SampleReads;

namespace EdgeAgent.Storage.Tests;

/// <summary>
/// The outbox under random sequences of appends, acknowledgements and caps: nothing is ever lost without
/// being counted, and what eviction gives up is always the oldest unsent.
/// </summary>
public class OutboxPropertyTests
{
    // An operation: append N reads, acknowledge the oldest K unsent, or set a cap of C KB.
    private static readonly Gen<(int Kind, int Amount)> Operation = Gen.OneOf(
        Gen.Choose(1, 120).Select(n => (0, n)),
        Gen.Choose(0, 60).Select(k => (1, k)),
        Gen.Choose(64, 400).Select(kb => (2, kb)));

    [Fact]
    public void RandomOperations_EveryReadIsUnsentDeliveredOrCounted_AndEvictionTakesTheOldestUnsent()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25), Prop.ForAll(Operation.ListOf().Select(l => l.Take(12).ToList()).ToArbitrary(), ops =>
        {
            using var dir = new TempDirectory();
            using var outbox = new SqliteOutbox(dir.File("outbox.db"));
            var evictedSeqs = new List<(long First, long Last)>();
            outbox.Evicted += e => { if (e.FirstSeq is { } f) evictedSeqs.Add((f, e.LastSeq!.Value)); };
            int appended = 0;
            long delivered = 0;
            foreach (var (kind, amount) in ops)
            {
                switch (kind)
                {
                    case 0:
                        for (int i = 0; i < amount; i++) outbox.Append(Read(++appended));
                        break;
                    case 1:
                        var oldest = outbox.ReadUnsent(0, amount).Select(e => e.Seq).ToList();
                        outbox.MarkDelivered(oldest, DateTimeOffset.UtcNow);
                        delivered += oldest.Count;
                        break;
                    default:
                        outbox.Limits = new OutboxLimits { MaxBytes = amount * 1024L };
                        break;
                }
                var stats = outbox.GetStats();
                long deliveredKept = stats.Total - stats.Unsent;
                Assert.Equal(appended, stats.Unsent + deliveredKept + outbox.EvictedUnsent + outbox.PurgedDelivered);
                Assert.Equal(delivered, deliveredKept + outbox.PurgedDelivered);
                // Whatever was evicted is older than every read still waiting.
                if (evictedSeqs.Count > 0 && stats.Unsent > 0)
                    Assert.True(evictedSeqs.Max(r => r.Last) < outbox.ReadUnsent(0, 1)[0].Seq);
                if (outbox.Limits.MaxBytes > 0) Assert.True(outbox.LiveBytes() <= outbox.Limits.MaxBytes, $"live {outbox.LiveBytes()} over {outbox.Limits.MaxBytes}");
            }
        }));
    }
}
