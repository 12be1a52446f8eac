using System.Globalization;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Transport.Tests;

/// <summary>
/// An in-memory <see cref="IOutbox"/> for the forwarder's tests (the SQLite one has its own). Thread safe;
/// records how often each read was marked delivered.
/// </summary>
internal sealed class MemoryOutbox(TimeProvider time) : IOutbox
{
    private readonly Lock _gate = new();
    private readonly List<OutboxEntry> _entries = [];
    private readonly Dictionary<long, int> _deliveries = [];

    public MemoryOutbox() : this(TimeProvider.System) { }

    public long Append(PlateReadEvent read)
    {
        lock (_gate)
        {
            var entry = new OutboxEntry(_entries.Count + 1, time.GetUtcNow(), read);
            _entries.Add(entry);
            return entry.Seq;
        }
    }

    /// <summary>Appends a read with a made-up commit time (a backlog from before the forwarder started).</summary>
    public long AppendAt(PlateReadEvent read, DateTimeOffset createdAt)
    {
        lock (_gate)
        {
            var entry = new OutboxEntry(_entries.Count + 1, createdAt, read);
            _entries.Add(entry);
            return entry.Seq;
        }
    }

    public IReadOnlyList<OutboxEntry> ReadUnsent(long afterSeq, int max)
    {
        lock (_gate) return [.. _entries.Where(e => e.Seq > afterSeq && !_deliveries.ContainsKey(e.Seq)).Take(max)];
    }

    public void MarkDelivered(IReadOnlyCollection<long> seqs, DateTimeOffset at)
    {
        lock (_gate)
        {
            foreach (long seq in seqs) _deliveries[seq] = _deliveries.GetValueOrDefault(seq) + 1;
        }
    }

    public OutboxStats GetStats()
    {
        lock (_gate)
        {
            var unsent = _entries.Where(e => !_deliveries.ContainsKey(e.Seq)).ToList();
            return new OutboxStats(unsent.Count, _entries.Count, unsent.FirstOrDefault()?.CreatedAt, 0);
        }
    }

    public IReadOnlyList<OutboxEntry> Entries
    {
        get
        {
            lock (_gate) return [.. _entries];
        }
    }

    public int DeliveredCount(long seq)
    {
        lock (_gate) return _deliveries.GetValueOrDefault(seq);
    }
}

internal static class TestReads
{
    /// <summary>A read with every field set, its id unique and sortable by <paramref name="n"/>.</summary>
    public static PlateReadEvent Make(int n, DateTimeOffset time) => new()
    {
        Id = "01JD" + n.ToString("D22", CultureInfo.InvariantCulture),
        Time = time,
        Site = "site-a",
        Camera = "cam-1",
        Lane = "1",
        Direction = "inbound",
        PlateHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n))),
        KeyId = "unit-1:2026-11-23",
        Confidence = 0.9f,
        Layout = PlateLayout.GbCurrent,
        MatchesGrammar = true,
        Clock = new ClockState(true, 1.5, "chrony"),
        Frames = 5,
    };
}
