using System.Globalization;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Storage;

namespace EdgeAgent.Benchmarks;

/// <summary>
/// `outbox-writer PATH SIZE`: appends batches of SIZE reads to the outbox at PATH until killed, printing
/// `committed FIRST LAST` (the batch's sequence numbers) only after each batch's commit returned. The
/// fault tests SIGKILL it at random moments and check that every batch it reported is there and that no
/// batch is there in part.
/// </summary>
public static class OutboxWriter
{
    public static int Run(string path, int size)
    {
        using var outbox = new SqliteOutbox(path);
        var reads = new PlateReadEvent[size];
        var seqs = new long[size];
        for (long n = 0; ; )
        {
            for (int i = 0; i < size; i++, n++)
            {
                DateTimeOffset at = DateTimeOffset.UtcNow;
                reads[i] = new PlateReadEvent
                {
                    Id = Ulid.NewUlid(at).ToString(), Time = at, Site = "fault-site", Camera = "fault-cam", Lane = "1", Direction = "north",
                    PlateHash = n.ToString("x64", CultureInfo.InvariantCulture), KeyId = "00000000:2026-01-01", Confidence = 0.9f,
                    Layout = PlateLayout.GbCurrent, MatchesGrammar = true, Clock = ClockState.Unknown, Frames = 5,
                };
            }
            var result = outbox.AppendBatch(reads, seqs);
            if (result.Failure is { } failure)
            {
                Console.Error.WriteLine($"outbox-writer: {result.Accepted} of {size} stored: {failure.Message}");
                return 1;
            }
            Console.Out.WriteLine($"committed {seqs[0]} {seqs[size - 1]}");
            Console.Out.Flush();
        }
    }
}
