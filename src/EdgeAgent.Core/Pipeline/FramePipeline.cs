using System.Diagnostics;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;

namespace EdgeAgent.Core.Pipeline;

/// <summary>
/// The per-frame work of one camera: find plates, read each, feed the tracker. All buffers are sized
/// once here, so once warm a frame costs no managed allocation; only an ending pass allocates.
/// </summary>
public sealed class FramePipeline
{
    private readonly IPlateFinder _finder;
    private readonly IPlateReader _reader;
    private readonly PlateTracker _tracker;
    private readonly FindRegion _region;
    private readonly PlateCandidate[] _candidates;
    private readonly PlateCandidate[] _readBoxes;
    private readonly PlateText[] _texts;
    private readonly BoxI[] _followedBoxes;
    private readonly PassStamper _stamper = new();
    private readonly FinderGating? _gating;
    private readonly SearchWindow[] _followed;
    private readonly SearchWindow[] _windows = new SearchWindow[FinderGating.MaxWindows];
    private int _framesSinceFullSearch;
    private PipelineCounters _counters;

    public FramePipeline(IPlateFinder finder, IPlateReader reader, FindRegion region, string cameraId,
        TrackerOptions? tracking = null, int maxCandidatesPerFrame = 8, IEvidenceCapture? evidence = null,
        FinderGating? gating = null)
    {
        _finder = finder;
        _reader = reader;
        _region = region;
        _gating = gating;
        CameraId = cameraId;
        _tracker = new PlateTracker(tracking) { Evidence = evidence };
        _followed = new SearchWindow[(tracking ?? new TrackerOptions()).MaxTracks];
        _candidates = new PlateCandidate[maxCandidatesPerFrame];
        _readBoxes = new PlateCandidate[maxCandidatesPerFrame];
        _texts = new PlateText[maxCandidatesPerFrame];
        _followedBoxes = new BoxI[maxCandidatesPerFrame];
    }

    public string CameraId { get; }
    public long FramesProcessed => _counters.Frames;
    public long Candidates => _counters.Candidates;
    public long Reads => _counters.Reads;
    public long PhantomsDropped => _tracker.PhantomsDropped;
    public int ActiveTracks => _tracker.ActiveTracks;

    /// <summary>
    /// What the pipeline has done so far, with the time spent in each stage. Written by the frame loop's
    /// thread; another thread reading it may see a frame's counts half updated, which a rate over
    /// thousands of frames does not notice.
    /// </summary>
    public PipelineCounters Counters => _counters;

    public void Process(Frame frame, IPassSink sink)
    {
        GrayImage image = frame.GrayImage;
        long t0 = Stopwatch.GetTimestamp();
        int found = Search(frame.Index, image);
        long t1 = Stopwatch.GetTimestamp();
        int read = 0, attempts = 0, followed = 0;
        for (int i = 0; i < found; i++)
        {
            if (_tracker.TryFollowSettled(frame.Index, frame.CapturedAt, _candidates[i]))
            {
                _followedBoxes[followed++] = _candidates[i].Bounds;
                continue;
            }
            attempts++;
            _texts[read].Clear();
            if (!_reader.TryRead(image, ref _candidates[i], ref _texts[read])) continue;
            _readBoxes[read] = _candidates[i];
            read++;
        }
        read = SamePlaceReads.KeepOnePerPlace(_readBoxes, _texts, read, _followedBoxes.AsSpan(0, followed));
        long t2 = Stopwatch.GetTimestamp();
        _stamper.Target = sink;
        _stamper.FrameTimestamp = t0;
        _tracker.Observe(frame, _readBoxes.AsSpan(0, read), _texts.AsSpan(0, read), _stamper, CameraId);
        long t3 = Stopwatch.GetTimestamp();

        _counters.Passes = _stamper.Passes;
        _counters.Frames++;
        _counters.Candidates += found;
        _counters.ReadAttempts += attempts;
        _counters.Reads += read;
        _counters.FindTicks += t1 - t0;
        _counters.ReadTicks += t2 - t1;
        _counters.TrackTicks += t3 - t2;
    }

    // The whole region, or with a gate only what moved and where followed plates should be, and the whole
    // region every FullSearchEveryFrames frames anyway: a parked or creeping car, a change the gate missed.
    private int Search(long frameIndex, GrayImage image)
    {
        long regionArea = _region.Width > 0 && _region.Height > 0 ? (long)_region.Width * _region.Height : (long)image.Width * image.Height;
        _counters.RegionArea += regionArea;
        int windows = -1;
        if (_gating is not null)
        {
            int followed = _tracker.PredictedBoxes(frameIndex, _followed);
            windows = _gating.Gate.Plan(image, _region, _followed.AsSpan(0, followed), _windows);
            if (++_framesSinceFullSearch >= _gating.FullSearchEveryFrames) windows = -1;
        }
        if (windows < 0)
        {
            _framesSinceFullSearch = 0;
            _counters.FullSearches++;
            _counters.SearchedArea += regionArea;
            return _finder.Find(image, _region, _candidates);
        }
        if (windows == 0) return 0;
        for (int i = 0; i < windows; i++) _counters.SearchedArea += _windows[i].Area;
        return _finder.Find(image, _region, _windows.AsSpan(0, windows), _candidates);
    }

    /// <summary>The source ended: emit every pass still open.</summary>
    public void Flush(IPassSink sink)
    {
        _stamper.Target = sink;
        _stamper.FrameTimestamp = Stopwatch.GetTimestamp();
        _tracker.Flush(_stamper, CameraId);
        _counters.Passes = _stamper.Passes;
    }

    // Stamps each pass with the time its completing frame's processing began, for frame-to-outbox latency.
    // Not the capture time: a replay decodes ahead of processing, so its frames wait in the ring for
    // reasons a live camera that is kept up with does not have.
    // One instance per pipeline, reused, so emitting through it allocates nothing more than the pass itself.
    private sealed class PassStamper : IPassSink
    {
        public IPassSink Target { get; set; } = null!;
        public long FrameTimestamp { get; set; }
        public long Passes { get; private set; }

        public void OnPass(VehiclePass pass)
        {
            Passes++;
            pass.CompletedByFrameAt = FrameTimestamp;
            Target.OnPass(pass);
        }
    }
}

/// <summary>Cumulative counts and stage times (<see cref="Stopwatch"/> ticks) of one pipeline.</summary>
public record struct PipelineCounters
{
    public long Frames;
    /// <summary>Candidates the finder returned.</summary>
    public long Candidates;
    /// <summary>Candidates given to the reader (fewer than found when a settled plate is not read again).</summary>
    public long ReadAttempts;
    /// <summary>Candidates that gave a read.</summary>
    public long Reads;
    /// <summary>Vehicle passes emitted.</summary>
    public long Passes;
    public long FindTicks;
    public long ReadTicks;
    public long TrackTicks;
    /// <summary>Frames whose whole region was searched (all of them without a motion gate).</summary>
    public long FullSearches;
    /// <summary>Pixels searched, summed over frames; over <see cref="RegionArea"/>, the share searched.</summary>
    public long SearchedArea;
    /// <summary>The region's pixels, summed over frames.</summary>
    public long RegionArea;

    public static PipelineCounters operator +(PipelineCounters a, PipelineCounters b) => new()
    {
        Frames = a.Frames + b.Frames,
        Candidates = a.Candidates + b.Candidates,
        ReadAttempts = a.ReadAttempts + b.ReadAttempts,
        Reads = a.Reads + b.Reads,
        Passes = a.Passes + b.Passes,
        FindTicks = a.FindTicks + b.FindTicks,
        ReadTicks = a.ReadTicks + b.ReadTicks,
        TrackTicks = a.TrackTicks + b.TrackTicks,
        FullSearches = a.FullSearches + b.FullSearches,
        SearchedArea = a.SearchedArea + b.SearchedArea,
        RegionArea = a.RegionArea + b.RegionArea,
    };

    public static PipelineCounters operator -(PipelineCounters a, PipelineCounters b) => new()
    {
        Frames = a.Frames - b.Frames,
        Candidates = a.Candidates - b.Candidates,
        ReadAttempts = a.ReadAttempts - b.ReadAttempts,
        Reads = a.Reads - b.Reads,
        Passes = a.Passes - b.Passes,
        FindTicks = a.FindTicks - b.FindTicks,
        ReadTicks = a.ReadTicks - b.ReadTicks,
        TrackTicks = a.TrackTicks - b.TrackTicks,
        FullSearches = a.FullSearches - b.FullSearches,
        SearchedArea = a.SearchedArea - b.SearchedArea,
        RegionArea = a.RegionArea - b.RegionArea,
    };
}

/// <summary>
/// How a pipeline narrows its plate search on video: the camera's motion gate, and every how many frames
/// the whole region is searched anyway (1: always).
/// </summary>
public sealed record FinderGating(IMotionGate Gate, int FullSearchEveryFrames)
{
    /// <summary>The most windows a gate may return; with more it asks for the whole region.</summary>
    public const int MaxWindows = 16;
}
