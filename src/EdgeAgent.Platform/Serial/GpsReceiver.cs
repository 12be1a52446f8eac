using EdgeAgent.Core.Reads;

namespace EdgeAgent.Platform.Serial;

/// <summary>What the GPS receiver last said.</summary>
public sealed record GpsSnapshot(
    GeoPosition? Position, int FixQuality, int Satellites, double? Hdop, double? ClockOffsetMs, DateTimeOffset? LastFixAt, DateTimeOffset? LastTimeAt);

/// <summary>
/// A GPS receiver on a serial line (NMEA 0183): the unit's position from GGA/RMC, and a time source from
/// RMC (date and time). The clock offset is the box's clock minus GPS time, taken as the smallest
/// difference among recent sentences: a sentence leaves the receiver some tens to hundreds of ms after
/// its second and the smallest delay is the closest to the truth. Without a PPS line this is good to a
/// few hundred ms, which is what it is for: telling a clock that is right from one that is seconds or
/// minutes off when no NTP server is reachable.
/// </summary>
public sealed class GpsReceiver : ISerialLineHandler
{
    private const int OffsetSamples = 16;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly (DateTimeOffset At, double OffsetMs)[] _offsets = new (DateTimeOffset, double)[OffsetSamples];
    private int _offsetCount;
    private int _offsetNext;
    private GeoPosition? _position;
    private int _quality;
    private int _satellites;
    private double? _hdop;
    private DateTimeOffset? _lastFixAt;
    private DateTimeOffset? _lastTimeAt;

    public GpsReceiver(TimeProvider time) => _time = time;

    /// <summary>A fix or time older than this is stale: the receiver lost the sky or the line.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(10);

    public LineVerdict OnLine(ReadOnlySpan<byte> line, DateTimeOffset receivedAt, out string? problem)
    {
        NmeaResult result = NmeaParser.Parse(line);
        problem = result.Problem;
        if (result.Outcome == NmeaOutcome.Malformed) return LineVerdict.Malformed;
        if (result.Outcome == NmeaOutcome.Ignored) return LineVerdict.Ignored;
        lock (_gate)
        {
            if (result.Gga is { } gga)
            {
                _quality = gga.Quality;
                _satellites = gga.Satellites;
                _hdop = gga.Hdop;
                if (gga.HasFix) SetFix(gga.Latitude!.Value, gga.Longitude!.Value, receivedAt);
            }
            else if (result.Rmc is { Valid: true } rmc)
            {
                if (rmc.Latitude is { } lat && rmc.Longitude is { } lon) SetFix(lat, lon, receivedAt);
                if (rmc.UtcDateTime is { } gpsTime) AddOffset(receivedAt, (receivedAt - gpsTime).TotalMilliseconds);
            }
        }
        return LineVerdict.Accepted;
    }

    public GpsSnapshot Snapshot()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            bool fresh = _lastFixAt is { } f && now - f <= MaxAge;
            return new GpsSnapshot(fresh ? _position : null, _quality, _satellites, _hdop, OffsetLocked(now), _lastFixAt, _lastTimeAt);
        }
    }

    /// <summary>The unit's position, or null without a fresh fix.</summary>
    public GeoPosition? Position => Snapshot().Position;

    /// <summary>
    /// The clock judged against GPS time: synchronised when within <paramref name="toleranceMs"/>; null
    /// when GPS has given no valid time lately.
    /// </summary>
    public ClockState? Clock(double toleranceMs)
    {
        double? offset = Snapshot().ClockOffsetMs;
        return offset is { } ms ? new ClockState(Math.Abs(ms) <= toleranceMs, Math.Round(ms, 1), "gps") : null;
    }

    private void SetFix(double latitude, double longitude, DateTimeOffset at)
    {
        _position = new GeoPosition(Math.Round(latitude, 6), Math.Round(longitude, 6));
        _lastFixAt = at;
    }

    private void AddOffset(DateTimeOffset at, double offsetMs)
    {
        _offsets[_offsetNext] = (at, offsetMs);
        _offsetNext = (_offsetNext + 1) % OffsetSamples;
        _offsetCount = Math.Min(_offsetCount + 1, OffsetSamples);
        _lastTimeAt = at;
    }

    private double? OffsetLocked(DateTimeOffset now)
    {
        if (_lastTimeAt is not { } last || now - last > MaxAge) return null;
        double? best = null;
        for (int i = 0; i < _offsetCount; i++)
        {
            var (at, ms) = _offsets[i];
            if (now - at > TimeSpan.FromSeconds(OffsetSamples * 4)) continue;  // from before a gap: the clock may have been stepped since
            if (best is null || ms < best) best = ms;
        }
        return best;
    }
}
