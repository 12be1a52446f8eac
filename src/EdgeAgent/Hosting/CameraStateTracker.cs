using EdgeAgent.Core.Pipeline;

namespace EdgeAgent.Hosting;

/// <summary>What a camera is doing, as health reports it.</summary>
public enum CameraState
{
    /// <summary>Being opened (at start, or again after a failure).</summary>
    Opening,
    /// <summary>Frames are flowing.</summary>
    Streaming,
    /// <summary>Open, live, but no frame for <see cref="CameraStateTracker.StallAfter"/>.</summary>
    Stalled,
    /// <summary>Failed (would not open, dropped, corrupt data); waiting to reopen with backoff.</summary>
    Reopening,
    /// <summary>A recorded file played to its end.</summary>
    Ended,
    /// <summary>Given up (a finite run whose file is bad, or an unexpected failure).</summary>
    Failed,
}

/// <summary>One camera's state and counters for a health report.</summary>
public sealed record CameraSnapshot(string Camera, CameraState State, DateTimeOffset Since, bool Live, long FramesCaptured,
    long FramesProcessed, long FramesDropped, int Reopens, string? LastError, DateTimeOffset? LastFrameAt);

/// <summary>
/// Tracks each camera's state for health: the camera service reports transitions, the counters come from
/// its runners (kept across reopens). Thread-safe; snapshots are cheap.
/// </summary>
public sealed class CameraStateTracker(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _cameras = new(StringComparer.Ordinal);

    /// <summary>A live source with no new frame for this long is reported stalled.</summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromSeconds(10);

    public void Opening(string camera) => Set(camera, CameraState.Opening, null);

    public void Streaming(string camera, CameraRunner runner, bool live)
    {
        lock (_gate)
        {
            Entry e = Get(camera);
            e.Runner = runner;
            e.Live = live;
            e.LastCaptured = -1;
            Move(e, CameraState.Streaming);
        }
    }

    /// <summary>The run ended (the file's end, a failure or the stop): its counts join the totals.</summary>
    public void RunEnded(string camera, CameraState next, string? error)
    {
        lock (_gate)
        {
            Entry e = Get(camera);
            if (e.Runner is { } r)
            {
                e.Captured += r.FramesCaptured;
                e.Processed += r.Pipeline.FramesProcessed;
                e.Dropped += r.FramesDropped;
                e.Runner = null;
            }
            if (next == CameraState.Reopening) e.Reopens++;
            if (error is not null) e.LastError = error;
            Move(e, next);
        }
    }

    public void Set(string camera, CameraState state, string? error)
    {
        lock (_gate)
        {
            Entry e = Get(camera);
            if (error is not null) e.LastError = error;
            Move(e, state);
        }
    }

    public IReadOnlyList<CameraSnapshot> Snapshot()
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_gate)
        {
            var list = new List<CameraSnapshot>(_cameras.Count);
            foreach (var (id, e) in _cameras)
            {
                long captured = e.Captured, processed = e.Processed, dropped = e.Dropped;
                CameraState state = e.State;
                if (e.Runner is { } r)
                {
                    captured += r.FramesCaptured;
                    processed += r.Pipeline.FramesProcessed;
                    dropped += r.FramesDropped;
                    if (r.FramesCaptured != e.LastCaptured)
                    {
                        e.LastCaptured = r.FramesCaptured;
                        e.LastFrameAt = now;
                    }
                    if (state == CameraState.Streaming && e.Live && now - (e.LastFrameAt ?? e.Since) > StallAfter) state = CameraState.Stalled;
                }
                list.Add(new CameraSnapshot(id, state, e.Since, e.Live, captured, processed, dropped, e.Reopens, e.LastError, e.LastFrameAt));
            }
            return list;
        }
    }

    private Entry Get(string camera)
    {
        if (!_cameras.TryGetValue(camera, out Entry? e)) _cameras[camera] = e = new Entry { Since = time.GetUtcNow() };
        return e;
    }

    private void Move(Entry e, CameraState state)
    {
        if (e.State == state && e.Since != default) return;
        e.State = state;
        e.Since = time.GetUtcNow();
    }

    private sealed class Entry
    {
        public CameraState State { get; set; } = CameraState.Opening;
        public DateTimeOffset Since { get; set; }
        public CameraRunner? Runner { get; set; }
        public bool Live { get; set; }
        public long Captured { get; set; }
        public long Processed { get; set; }
        public long Dropped { get; set; }
        public int Reopens { get; set; }
        public string? LastError { get; set; }
        public long LastCaptured { get; set; } = -1;
        public DateTimeOffset? LastFrameAt { get; set; }
    }
}
