using EdgeAgent.Core.Frames;

namespace EdgeAgent.Core.Tests;

public class FrameRingTests
{
    [Fact]
    public async Task TryTake_WaitMode_DeliversEveryFrameInCaptureOrder()
    {
        var ring = new FrameRing(3, 16, 8, RingOverflow.Wait);
        var taken = new List<long>();
        var consumer = Task.Run(() =>
        {
            while (ring.TryTake(out Frame frame, CancellationToken.None))
            {
                taken.Add(frame.Index);
                ring.Release(frame);
            }
        });
        for (int i = 0; i < 100; i++)
        {
            Frame frame = ring.AcquireForWrite(CancellationToken.None)!;
            frame.Index = i;
            ring.Publish(frame);
        }
        ring.Complete();
        await consumer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), taken);
        Assert.Equal(0, ring.Dropped);
    }

    [Fact]
    public void Reset_AfterARunLeftFramesBehind_KeepsTheFramesAndStartsAfresh()
    {
        // A live run that dropped frames and was stopped with frames still ready and one still being written.
        var ring = new FrameRing(3, 16, 8, RingOverflow.DropOldest);
        var frames = new HashSet<Frame>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < 5; i++)
        {
            Frame frame = ring.AcquireForWrite(CancellationToken.None)!;
            frames.Add(frame);
            ring.Publish(frame);
        }
        frames.Add(ring.AcquireForWrite(CancellationToken.None)!);
        ring.Complete();
        Assert.Equal(3, ring.Dropped);

        // The camera's next run: a recorded file this time.
        ring.Reset(RingOverflow.Wait);
        Assert.Equal(0, ring.Dropped);
        Assert.Equal(0, ring.Backlog);
        var taken = new List<long>();
        var consumer = new Thread(() =>
        {
            while (ring.TryTake(out Frame frame, CancellationToken.None))
            {
                taken.Add(frame.Index);
                ring.Release(frame);
            }
        });
        consumer.Start();
        for (int i = 0; i < 50; i++)
        {
            Frame frame = ring.AcquireForWrite(CancellationToken.None)!;
            Assert.Contains(frame, frames);   // the first run's frames, not new ones
            frame.Index = i;
            ring.Publish(frame);
        }
        ring.Complete();
        Assert.True(consumer.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), taken);   // waited, dropped nothing
        Assert.Equal(0, ring.Dropped);
    }

    [Fact]
    public void AcquireForWrite_DropOldestWhenFull_ReusesOldestAndCountsIt()
    {
        var ring = new FrameRing(2, 16, 8, RingOverflow.DropOldest);
        for (int i = 0; i < 5; i++)
        {
            Frame frame = ring.AcquireForWrite(CancellationToken.None)!;
            frame.Index = i;
            ring.Publish(frame);
        }
        ring.Complete();
        var taken = new List<long>();
        while (ring.TryTake(out Frame frame, CancellationToken.None))
        {
            taken.Add(frame.Index);
            ring.Release(frame);
        }
        // Capture never blocked: the newest frames survive, the three oldest were overwritten.
        Assert.Equal([3L, 4L], taken);
        Assert.Equal(3, ring.Dropped);
    }

    [Fact]
    public void AcquireForWrite_WaitModeCancelled_ReturnsNull()
    {
        var ring = new FrameRing(2, 16, 8, RingOverflow.Wait);
        ring.Publish(ring.AcquireForWrite(CancellationToken.None)!);
        ring.Publish(ring.AcquireForWrite(CancellationToken.None)!);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.Null(ring.AcquireForWrite(cts.Token));
    }

    [Fact]
    public void Frame_Buffers_ArePinnedAndSizedFromTheProfile()
    {
        var frame = new Frame(1920, 1080);
        Assert.Equal(1920 * 1080 * 3, frame.Bgr.Length);
        Assert.Equal(1920 * 1080, frame.Gray.Length);
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(frame.Bgr));  // pinned heap objects report the max generation
    }
}
