using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Output;

/// <summary>
/// Composes the next frame while the previous one goes down the pipe: a few frame buffers
/// circulate between the composing thread and a writer thread. On two cores this keeps the
/// encoder busy instead of taking turns with it (the hard set took 40 % longer in turns).
/// </summary>
internal sealed class FramePipeline : IDisposable
{
    private readonly BlockingCollection<Bgr24Frame> _free;
    private readonly BlockingCollection<Bgr24Frame> _full;
    private readonly CancellationTokenSource _writerFailed = new();
    private readonly Task _writer;
    private readonly Stopwatch _waiting = new();

    public FramePipeline(VideoWriter video, int width, int height, int buffers = 3)
    {
        _free = new BlockingCollection<Bgr24Frame>(buffers);
        _full = new BlockingCollection<Bgr24Frame>(buffers);
        for (int i = 0; i < buffers; i++)
        {
            _free.Add(new Bgr24Frame(width, height));
        }

        _writer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    foreach (Bgr24Frame frame in _full.GetConsumingEnumerable())
                    {
                        video.Write(frame);
                        _free.Add(frame);
                    }
                }
                catch
                {
                    _writerFailed.Cancel(); // wake the composer, which rethrows our exception
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Time the composer spent waiting for a free buffer, i.e. for the encoder.</summary>
    public TimeSpan EncoderWait => _waiting.Elapsed;

    /// <summary>A buffer to compose the next frame into (blocks while the encoder is behind).</summary>
    public Bgr24Frame Rent()
    {
        _waiting.Start();
        try
        {
            return _free.Take(_writerFailed.Token);
        }
        catch (OperationCanceledException)
        {
            _writer.GetAwaiter().GetResult();
            throw;
        }
        finally
        {
            _waiting.Stop();
        }
    }

    public void Submit(Bgr24Frame frame) => _full.Add(frame);

    /// <summary>Waits until every submitted frame has been written.</summary>
    public void Complete()
    {
        _waiting.Start();
        _full.CompleteAdding();
        _writer.GetAwaiter().GetResult();
        _waiting.Stop();
    }

    public void Dispose()
    {
        if (!_full.IsAddingCompleted)
        {
            _full.CompleteAdding();
        }

        _free.Dispose();
        _full.Dispose();
        _writerFailed.Dispose();
    }
}
