namespace EdgeAgent.Transport;

/// <summary>
/// A token bucket on injected time: at most <c>perSecond</c> on average, with bursts of up to
/// <c>burst</c>. Not thread safe: the forwarder's loop is its only user.
/// </summary>
internal sealed class DrainRateLimiter
{
    private readonly double _perSecond;
    private readonly double _burst;
    private double _tokens;
    private DateTimeOffset _last;

    public DrainRateLimiter(double perSecond, int burst, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _perSecond = perSecond;
        _burst = burst;
        _tokens = burst;
        _last = now;
    }

    public bool TryAcquire(DateTimeOffset now)
    {
        Refill(now);
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }

    /// <summary>How long until the next token (zero if one is there).</summary>
    public TimeSpan UntilNext(DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
    }

    private void Refill(DateTimeOffset now)
    {
        // A clock stepping backwards must not mint tokens or stall: only forward time counts.
        if (now > _last) _tokens = Math.Min(_burst, _tokens + (now - _last).TotalSeconds * _perSecond);
        _last = now;
    }
}
