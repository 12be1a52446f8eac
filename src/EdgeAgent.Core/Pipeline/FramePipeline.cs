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

    public FramePipeline(IPlateFinder finder, IPlateReader reader, FindRegion region, string cameraId,
        TrackerOptions? tracking = null, int maxCandidatesPerFrame = 8)
    {
        _finder = finder;
        _reader = reader;
        _region = region;
        CameraId = cameraId;
        _tracker = new PlateTracker(tracking);
        _candidates = new PlateCandidate[maxCandidatesPerFrame];
        _readBoxes = new PlateCandidate[maxCandidatesPerFrame];
        _texts = new PlateText[maxCandidatesPerFrame];
    }

    public string CameraId { get; }
    public long FramesProcessed { get; private set; }
    public long Candidates { get; private set; }
    public long Reads { get; private set; }
    public long PhantomsDropped => _tracker.PhantomsDropped;
    public int ActiveTracks => _tracker.ActiveTracks;

    public void Process(Frame frame, IPassSink sink)
    {
        GrayImage image = frame.GrayImage;
        int found = _finder.Find(image, _region, _candidates);
        int read = 0;
        for (int i = 0; i < found; i++)
        {
            _texts[read].Clear();
            if (!_reader.TryRead(image, _candidates[i], ref _texts[read])) continue;
            _readBoxes[read] = _candidates[i];
            read++;
        }
        Candidates += found;
        Reads += read;
        FramesProcessed++;
        _tracker.Observe(frame.Index, frame.CapturedAt, _readBoxes.AsSpan(0, read), _texts.AsSpan(0, read), sink, CameraId);
    }

    /// <summary>The source ended: emit every pass still open.</summary>
    public void Flush(IPassSink sink) => _tracker.Flush(sink, CameraId);
}
