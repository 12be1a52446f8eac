namespace EdgeAgent.Platform.Serial;

/// <summary>A snapshot of the vehicle trigger.</summary>
public sealed record TriggerSnapshot(long Vehicles, long Matched, long Unmatched, DateTimeOffset? LastAt);

/// <summary>
/// The vehicle trigger (an inductive loop's detector card, a line per vehicle). Keeps the recent pulses so
/// that each read can be marked as confirmed by a vehicle on the loop, and counts pulses that no read
/// claimed: vehicles the camera missed (or a loop that double-counts), which is what a field engineer
/// wants to know.
/// </summary>
public sealed class VehicleTriggers : ISerialLineHandler
{
    private readonly Pulse[] _pulses;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private int _next;
    private int _count;
    private long _vehicles;
    private long _matched;
    private long _expiredUnmatched;
    private DateTimeOffset? _lastAt;

    public VehicleTriggers(TimeProvider time, int capacity = 512)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 8);
        _time = time;
        _pulses = new Pulse[capacity];
    }

    /// <summary>How long a pulse waits to be claimed by a read before it counts as a vehicle without one.</summary>
    public TimeSpan ClaimHorizon { get; init; } = TimeSpan.FromSeconds(30);

    public LineVerdict OnLine(ReadOnlySpan<byte> line, DateTimeOffset receivedAt, out string? problem)
    {
        if (!TriggerLineParser.TryParse(line, out TriggerLine trigger, out problem)) return LineVerdict.Malformed;
        Add(receivedAt, trigger.Lane);
        return LineVerdict.Accepted;
    }

    /// <summary>Records a vehicle at a time (the reader, and tests that stage pulses).</summary>
    public void Add(DateTimeOffset at, string? lane)
    {
        lock (_gate)
        {
            if (_count == _pulses.Length)
            {
                // The ring is full: the oldest pulse leaves; if nothing claimed it, it was a vehicle without a read.
                if (!_pulses[_next].Claimed) _expiredUnmatched++;
            }
            else
            {
                _count++;
            }
            _pulses[_next] = new Pulse(at, lane, false);
            _next = (_next + 1) % _pulses.Length;
            _vehicles++;
            _lastAt = at;
        }
    }

    /// <summary>
    /// Claims the unclaimed pulse nearest to the vehicle's time span (widened by <paramref name="slack"/> each
    /// side) in its lane (a pulse without a lane fits any). True when one was found: the read is confirmed.
    /// </summary>
    public bool Claim(DateTimeOffset firstSeen, DateTimeOffset lastSeen, string? lane, TimeSpan slack)
    {
        DateTimeOffset from = firstSeen - slack, to = lastSeen + slack;
        DateTimeOffset middle = firstSeen + (lastSeen - firstSeen) / 2;
        lock (_gate)
        {
            int best = -1;
            TimeSpan bestDistance = TimeSpan.MaxValue;
            for (int i = 0; i < _count; i++)
            {
                ref Pulse p = ref _pulses[i];
                if (p.Claimed || p.At < from || p.At > to) continue;
                if (p.Lane is not null && lane is not null && !string.Equals(p.Lane, lane, StringComparison.OrdinalIgnoreCase)) continue;
                TimeSpan distance = (p.At - middle).Duration();
                if (distance < bestDistance)
                {
                    best = i;
                    bestDistance = distance;
                }
            }
            if (best < 0) return false;
            _pulses[best].Claimed = true;
            _matched++;
            return true;
        }
    }

    public TriggerSnapshot Snapshot()
    {
        DateTimeOffset horizon = _time.GetUtcNow() - ClaimHorizon;
        lock (_gate)
        {
            long unmatched = _expiredUnmatched;
            for (int i = 0; i < _count; i++)
                if (!_pulses[i].Claimed && _pulses[i].At < horizon) unmatched++;
            return new TriggerSnapshot(_vehicles, _matched, unmatched, _lastAt);
        }
    }

    private struct Pulse(DateTimeOffset at, string? lane, bool claimed)
    {
        public DateTimeOffset At = at;
        public string? Lane = lane;
        public bool Claimed = claimed;
    }
}
