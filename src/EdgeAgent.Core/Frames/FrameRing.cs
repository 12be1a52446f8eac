namespace EdgeAgent.Core.Frames;

/// <summary>What the capture side does when every slot is waiting to be processed.</summary>
public enum RingOverflow
{
    /// <summary>Live camera: reuse the oldest unprocessed frame and count it as dropped. Capture never blocks.</summary>
    DropOldest,

    /// <summary>Recorded video: wait for the processing side, so a replay sees every frame (deterministic).</summary>
    Wait,
}

/// <summary>
/// A fixed ring of preallocated frames between one capture thread and one processing thread. Frames
/// move Free → Writing → Ready → Processing → Free; nothing is allocated after construction.
/// </summary>
public sealed class FrameRing
{
    private readonly Frame[] _frames;
    private readonly int[] _free;     // stack of free slot indexes
    private readonly int[] _ready;    // queue (circular) of slot indexes in capture order
    private readonly object _gate = new();  // a Monitor: the ring waits and pulses on it
    private RingOverflow _overflow;
    private int _freeCount;
    private int _readyHead;
    private int _readyCount;
    private bool _completed;
    private long _dropped;

    public FrameRing(int capacity, int width, int height, RingOverflow overflow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _overflow = overflow;
        _frames = new Frame[capacity];
        _free = new int[capacity];
        _ready = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _frames[i] = new Frame(width, height) { RingSlot = i };
            _free[i] = capacity - 1 - i;
        }
        _freeCount = capacity;
    }

    /// <summary>
    /// Makes the ring as new for another run of the same camera, keeping its frames (8 MB each at 1080p, large
    /// objects): a camera that reopens its source reuses them instead of leaving a ring's worth for the
    /// collector at every reopen. Only between runs, when neither side holds a frame.
    /// </summary>
    public void Reset(RingOverflow overflow)
    {
        lock (_gate)
        {
            _overflow = overflow;
            for (int i = 0; i < _frames.Length; i++) _free[i] = _frames.Length - 1 - i;
            _freeCount = _frames.Length;
            _readyHead = _readyCount = 0;
            _completed = false;
            Interlocked.Exchange(ref _dropped, 0);
        }
    }

    public int Capacity => _frames.Length;
    public int Width => _frames[0].Width;
    public int Height => _frames[0].Height;

    /// <summary>Frames overwritten before they were processed (only in <see cref="RingOverflow.DropOldest"/>).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames captured and not yet taken by the processing side.</summary>
    public int Backlog { get { lock (_gate) return _readyCount; } }

    /// <summary>A frame to capture into, or null when cancelled.</summary>
    public Frame? AcquireForWrite(CancellationToken cancellation)
    {
        lock (_gate)
        {
            while (_freeCount == 0)
            {
                if (_overflow == RingOverflow.DropOldest && _readyCount > 0)
                {
                    int oldest = DequeueReady();
                    Interlocked.Increment(ref _dropped);
                    return _frames[oldest];
                }
                if (cancellation.IsCancellationRequested) return null;
                Monitor.Wait(_gate, 50);
            }
            return _frames[_free[--_freeCount]];
        }
    }

    /// <summary>Hands a captured frame to the processing side.</summary>
    public void Publish(Frame frame)
    {
        lock (_gate)
        {
            _ready[(_readyHead + _readyCount) % _ready.Length] = frame.RingSlot;
            _readyCount++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Gives back a frame without processing it (a failed read, or a processed frame).</summary>
    public void Release(Frame frame)
    {
        lock (_gate)
        {
            _free[_freeCount++] = frame.RingSlot;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The capture side is done: the processing side drains what is ready and then stops.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The oldest ready frame; false once the ring is completed and drained, or when cancelled.</summary>
    public bool TryTake(out Frame frame, CancellationToken cancellation)
    {
        lock (_gate)
        {
            while (_readyCount == 0)
            {
                if (_completed || cancellation.IsCancellationRequested)
                {
                    frame = null!;
                    return false;
                }
                Monitor.Wait(_gate, 50);
            }
            frame = _frames[DequeueReady()];
            return true;
        }
    }

    private int DequeueReady()
    {
        int slot = _ready[_readyHead];
        _readyHead = (_readyHead + 1) % _ready.Length;
        _readyCount--;
        return slot;
    }
}
