using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Tracking;

/// <summary>
/// One plate followed across frames: its latest box and velocity for association, and the reads of its
/// frames for the vote. Preallocated by the tracker and reused for vehicle after vehicle.
/// </summary>
internal sealed class Track(int maxObservations, float settledConfidence)
{
    private readonly PlateText[] _reads = new PlateText[maxObservations];
    private readonly float[] _weights = new float[maxObservations];

    public bool Active { get; private set; }
    public int ReadCount { get; private set; }
    public int Observations { get; private set; }
    public long FirstFrame { get; private set; }
    public long LastFrame { get; private set; }
    public DateTimeOffset FirstSeen { get; private set; }
    public DateTimeOffset LastSeen { get; private set; }
    public PlateCandidate LastBox { get; private set; }
    public long BestFrame { get; private set; }
    public PlateCandidate BestBox { get; private set; }
    public float BestWeight { get; private set; }
    public PlateText LastText => _reads[_lastRead];

    /// <summary>The frame of the latest read (a followed frame has none).</summary>
    public long LastReadFrame { get; private set; }

    /// <summary>
    /// Reads in a row, up to the latest, of one text that fits a format, each at least as sure as the tracker's
    /// settled confidence; 0 when the latest read is not such a read.
    /// </summary>
    public int AgreeingReads { get; private set; }

    private int _lastRead;
    private PlateText _latestRead;  // as read: the vote's store may have kept an older, stronger one instead
    private float _velocityX;  // pixels per frame, smoothed
    private float _velocityY;

    public ReadOnlySpan<PlateText> Reads => _reads.AsSpan(0, ReadCount);
    public ReadOnlySpan<float> Weights => _weights.AsSpan(0, ReadCount);

    public void Start(long frame, DateTimeOffset time, in PlateCandidate box, in PlateText text, float weight)
    {
        Active = true;
        ReadCount = 0;
        Observations = 0;
        FirstFrame = frame;
        FirstSeen = time;
        _velocityX = 0;
        _velocityY = 0;
        BestWeight = -1;
        AgreeingReads = 0;
        LastBox = box;
        Add(frame, time, box, text, weight);
    }

    public void Add(long frame, DateTimeOffset time, in PlateCandidate box, in PlateText text, float weight)
    {
        See(frame, time, box);
        bool sure = text.MatchesGrammar && text.MeanConfidence >= settledConfidence;
        AgreeingReads = !sure ? 0 : AgreeingReads > 0 && text.TextEquals(_latestRead) ? AgreeingReads + 1 : 1;
        _latestRead = text;
        LastReadFrame = frame;
        if (weight > BestWeight)
        {
            BestWeight = weight;
            BestBox = box;
            BestFrame = frame;
        }
        StoreRead(text, weight);
    }

    /// <summary>The plate seen at <paramref name="box"/> in a frame it was not read in (settled).</summary>
    public void Follow(long frame, DateTimeOffset time, in PlateCandidate box) => See(frame, time, box);

    public void Stop() => Active = false;

    private void See(long frame, DateTimeOffset time, in PlateCandidate box)
    {
        if (Observations > 0 && frame > LastFrame)
        {
            float dt = frame - LastFrame;
            // Exponential smoothing: one bad box must not throw the prediction off.
            _velocityX = 0.5f * _velocityX + 0.5f * (box.CenterX - LastBox.CenterX) / dt;
            _velocityY = 0.5f * _velocityY + 0.5f * (box.CenterY - LastBox.CenterY) / dt;
        }
        LastBox = box;
        LastFrame = frame;
        LastSeen = time;
        Observations++;
    }

    /// <summary>Where the plate should be in <paramref name="frame"/>, from its last box and velocity.</summary>
    public (float X, float Y) PredictCenter(long frame)
    {
        float dt = frame - LastFrame;
        return (LastBox.CenterX + _velocityX * dt, LastBox.CenterY + _velocityY * dt);
    }

    private void StoreRead(in PlateText text, float weight)
    {
        int slot;
        if (ReadCount < _reads.Length)
        {
            slot = ReadCount++;
        }
        else
        {
            // Full: the new read replaces the weakest one if it is better.
            slot = 0;
            for (int i = 1; i < ReadCount; i++)
                if (_weights[i] < _weights[slot]) slot = i;
            if (_weights[slot] >= weight) return;
        }
        _reads[slot] = text;
        _weights[slot] = weight;
        _lastRead = slot;
    }
}
