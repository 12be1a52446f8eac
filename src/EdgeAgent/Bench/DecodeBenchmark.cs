using System.Diagnostics;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.Vision;

namespace EdgeAgent.Bench;

/// <summary>
/// The ceiling for the pipeline: the same video decoded the way the capture thread decodes it (into a
/// frame's BGR and gray buffers) and nothing else, by as many streams at once as the run has cameras.
/// </summary>
public static class DecodeBenchmark
{
    public sealed record Result(long Frames, double Seconds, TimeSpan Cpu)
    {
        public double CpuMsPerFrame => Frames > 0 ? Cpu.TotalMilliseconds / Frames : 0;
        public double FramesPerSecond => Seconds > 0 ? Frames / Seconds : 0;
        public double MsPerFrame => Frames > 0 ? Seconds * 1000 / Frames : 0;
    }

    /// <summary>Decodes <paramref name="video"/> to its end on <paramref name="streams"/> threads; the total frames over the wall time.</summary>
    public static Result Run(string video, int streams, CancellationToken cancellation)
    {
        // Opening is not decoding: every stream is open (and its frame allocated) before the clock starts.
        var sources = new List<VideoFrameSource>();
        try
        {
            for (int i = 0; i < streams; i++) sources.Add(VideoFrameSource.Open(video));
            var counts = new long[streams];
            var errors = new Exception?[streams];
            var threads = new Thread[streams];
            for (int i = 0; i < streams; i++)
            {
                int stream = i;
                VideoFrameSource source = sources[i];
                var frame = new Frame(source.Info.Width, source.Info.Height);
                threads[i] = new Thread(() =>
                {
                    try
                    {
                        while (!cancellation.IsCancellationRequested && source.Read(frame) == FrameReadResult.Frame) counts[stream]++;
                    }
                    catch (FrameSourceException e)
                    {
                        errors[stream] = e;
                    }
                })
                { IsBackground = true, Name = $"decode {stream}" };
            }
            TimeSpan cpu = Environment.CpuUsage.TotalTime;
            long started = Stopwatch.GetTimestamp();
            foreach (Thread thread in threads) thread.Start();
            foreach (Thread thread in threads) thread.Join();
            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (errors.FirstOrDefault(e => e is not null) is { } error) throw error;
            cancellation.ThrowIfCancellationRequested();
            return new Result(counts.Sum(), seconds, Environment.CpuUsage.TotalTime - cpu);
        }
        finally
        {
            foreach (VideoFrameSource source in sources) source.Dispose();
        }
    }
}
