using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Pipeline;

namespace EdgeAgent.Core.Tests;

public class FrameLoopMeterTests
{
    [Fact]
    public void Percentile_KnownDurations_AreExactToTheBucket()
    {
        var histogram = new DurationHistogram();
        for (int i = 1; i <= 100; i++) histogram.AddMilliseconds(i * 0.5);   // 0.5 .. 50 ms
        histogram.AddMilliseconds(250.4);                                      // one slow frame, past the fine buckets
        Assert.Equal(101, histogram.Count);
        Assert.InRange(histogram.Percentile(0.5), 25.5, 25.52);   // the 51st of 101 samples: 25.5 ms
        Assert.InRange(histogram.Percentile(0.99), 50, 50.02);    // the 100th: 50 ms
        Assert.Equal(251, histogram.Percentile(1.0));             // 1 ms buckets above 100 ms
        histogram.Clear();
        Assert.Equal(0, histogram.Percentile(0.99));
    }

    [Fact]
    public void Handoff_SteadyState_NeitherSideAllocates()
    {
        // The ring between the capture and processing threads: once warm, passing frames allocates nothing
        // on either side (the frames themselves are allocated once, at construction). Each side counts its
        // blocks of 200 handoffs after the first and keeps the least (see ThreadAllocations: other threads'
        // collections can add to a thread's count, never take from it).
        const int Block = 200, Blocks = 10;
        var ring = new FrameRing(4, 64, 32, RingOverflow.Wait);
        long consumerBytes = long.MaxValue;
        var consumer = new Thread(() =>
        {
            long before = 0;
            int taken = 0;
            while (ring.TryTake(out Frame frame, CancellationToken.None))
            {
                ring.Release(frame);
                if (++taken % Block != 0) continue;
                long now = GC.GetAllocatedBytesForCurrentThread();
                if (taken > Block) consumerBytes = Math.Min(consumerBytes, now - before);
                before = GC.GetAllocatedBytesForCurrentThread();
            }
        });
        consumer.Start();
        long producerBytes = long.MaxValue;
        for (int block = 0; block <= Blocks; block++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Block; i++)
            {
                Frame frame = ring.AcquireForWrite(CancellationToken.None)!;
                frame.Index = block * Block + i;
                ring.Publish(frame);
            }
            if (block > 0) producerBytes = Math.Min(producerBytes, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        ring.Complete();
        consumer.Join();
        Assert.Equal(0, producerBytes);
        Assert.Equal(0, consumerBytes);
    }
}
