namespace EdgeAgent.Transport.Tests;

public sealed class DrainRateLimiterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAcquire_BurstSpent_RefusesUntilTimePasses()
    {
        var limiter = new DrainRateLimiter(perSecond: 4, burst: 2, T0);

        Assert.True(limiter.TryAcquire(T0));
        Assert.True(limiter.TryAcquire(T0));
        Assert.False(limiter.TryAcquire(T0));
        Assert.Equal(TimeSpan.FromMilliseconds(250), limiter.UntilNext(T0));
        Assert.True(limiter.TryAcquire(T0.AddMilliseconds(250)));
    }

    [Fact]
    public void TryAcquire_LongIdle_BurstIsCapped()
    {
        var limiter = new DrainRateLimiter(perSecond: 10, burst: 3, T0);
        var later = T0.AddHours(1);

        int granted = 0;
        while (limiter.TryAcquire(later)) granted++;

        Assert.Equal(3, granted);
    }

    [Fact]
    public void TryAcquire_ClockStepsBack_NeitherMintsNorStalls()
    {
        var limiter = new DrainRateLimiter(perSecond: 1, burst: 1, T0);
        Assert.True(limiter.TryAcquire(T0));

        var back = T0.AddMinutes(-10);
        Assert.False(limiter.TryAcquire(back));
        Assert.True(limiter.TryAcquire(back.AddSeconds(1)));
    }
}
