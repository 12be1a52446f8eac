using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Tracking;

/// <summary>
/// Follows plates over consecutive frames (predicted position and text similarity) and emits one
/// <see cref="VehiclePass"/> per vehicle with the character-wise vote of its frames. A pass ends after
/// <see cref="TrackerOptions.EndAfterMissedFrames"/> frames without its plate. Allocates only when a
/// pass is emitted.
/// </summary>
public sealed class PlateTracker
{
    private const int MaxReadsPerFrame = 32;
    private readonly TrackerOptions _options;
    private readonly Track[] _tracks;
    private readonly PassVoter _voter = new();
    private Frame? _pixels;   // the frame being observed, for the evidence hook; null outside Observe(Frame, …)

    public PlateTracker(TrackerOptions? options = null)
    {
        _options = options ?? new TrackerOptions();
        _tracks = new Track[_options.MaxTracks];
        for (int i = 0; i < _tracks.Length; i++) _tracks[i] = new Track(_options.MaxObservationsPerTrack, _options.SettledConfidence);
    }

    public int ActiveTracks
    {
        get
        {
            int n = 0;
            foreach (Track t in _tracks) if (t.Active) n++;
            return n;
        }
    }

    /// <summary>
    /// Where each followed plate should be in <paramref name="frame"/> (its last box moved by its velocity),
    /// for the finder's motion gate; returns how many were written. Reads the tracks, changes nothing.
    /// </summary>
    public int PredictedBoxes(long frame, Span<SearchWindow> output)
    {
        int n = 0;
        foreach (Track t in _tracks)
        {
            if (!t.Active || n == output.Length) continue;
            var (x, y) = t.PredictCenter(frame);
            int w = (int)MathF.Ceiling(Math.Max(t.LastBox.Width, t.LastBox.BoundsWidth));
            int h = (int)MathF.Ceiling(Math.Max(t.LastBox.Height, t.LastBox.BoundsHeight));
            output[n++] = new SearchWindow((int)(x - w / 2f), (int)(y - h / 2f), w, h);
        }
        return n;
    }

    /// <summary>
    /// Whether a candidate need not be read: it lies where a settled plate (<see cref="TrackerOptions.ReadSettledEvery"/>)
    /// is predicted, seen in the frame before and read within the last ReadSettledEvery - 1 frames. Then the
    /// plate is followed by this box alone and true returned; also true for a second candidate on a plate
    /// already followed in this frame. Call before <see cref="Observe(Frame, ReadOnlySpan{PlateCandidate}, ReadOnlySpan{PlateText}, IPassSink, string)"/>
    /// for the same frame. The reads of a settled plate agree frame after frame; reading every other one
    /// halves the reader's work on the frames that hold plates, the slow frames of the loop.
    /// </summary>
    public bool TryFollowSettled(long frame, DateTimeOffset time, in PlateCandidate box)
    {
        if (_options.ReadSettledEvery <= 1) return false;
        foreach (Track track in _tracks)
        {
            if (!track.Active || !IsAt(track, frame, box)) continue;
            if (track.LastFrame == frame) return true;
            if (track.AgreeingReads < _options.SettleAfterReads || frame - track.LastFrame != 1 ||
                frame - track.LastReadFrame >= _options.ReadSettledEvery) return false;
            track.Follow(frame, time, box);
            return true;
        }
        return false;
    }

    // The box is where the track's plate is predicted, and of its size: within half a plate height.
    private static bool IsAt(Track track, long frame, in PlateCandidate box)
    {
        var (px, py) = track.PredictCenter(frame);
        float height = Math.Max(8f, track.LastBox.Height);
        float dx = box.CenterX - px, dy = box.CenterY - py;
        return dx * dx + dy * dy <= 0.25f * height * height && box.Height >= 0.8f * height && box.Height <= 1.25f * height;
    }

    /// <summary>Copies each track's best frame region for evidence; null when no evidence is kept.</summary>
    public IEvidenceCapture? Evidence { get; init; }

    /// <summary>Passes dropped because they had too few reads (counted for health and evaluation).</summary>
    public long PhantomsDropped { get; private set; }

    /// <summary>
    /// Feeds one frame's reads with the frame itself, so that <see cref="Evidence"/> can copy the region of a
    /// track whose best read improves in this frame.
    /// </summary>
    public void Observe(Frame frame, ReadOnlySpan<PlateCandidate> boxes, ReadOnlySpan<PlateText> texts, IPassSink sink, string cameraId = "")
    {
        _pixels = frame;
        try
        {
            Observe(frame.Index, frame.CapturedAt, boxes, texts, sink, cameraId);
        }
        finally
        {
            _pixels = null;
        }
    }

    /// <summary>Feeds one frame's reads; ends and emits the passes whose plates have gone.</summary>
    public void Observe(long frame, DateTimeOffset time, ReadOnlySpan<PlateCandidate> boxes, ReadOnlySpan<PlateText> texts,
        IPassSink sink, string cameraId = "")
    {
        int n = Math.Min(Math.Min(boxes.Length, texts.Length), MaxReadsPerFrame);
        _options.Tap?.Observed(frame, time, boxes[..n], texts[..n]);
        Span<int> trackOfRead = stackalloc int[n];
        trackOfRead.Fill(-1);
        Span<bool> trackTaken = stackalloc bool[_tracks.Length];
        trackTaken.Clear();

        // Greedy assignment, best pair first: with a handful of plates per frame this is exact enough.
        while (true)
        {
            float best = 0;
            int bestRead = -1, bestTrack = -1;
            for (int r = 0; r < n; r++)
            {
                if (trackOfRead[r] >= 0) continue;
                for (int t = 0; t < _tracks.Length; t++)
                {
                    if (!_tracks[t].Active || trackTaken[t]) continue;
                    float score = Affinity(_tracks[t], frame, boxes[r], texts[r]);
                    if (score > best)
                    {
                        best = score;
                        bestRead = r;
                        bestTrack = t;
                    }
                }
            }
            if (bestRead < 0) break;
            trackOfRead[bestRead] = bestTrack;
            trackTaken[bestTrack] = true;
            _tracks[bestTrack].Add(frame, time, boxes[bestRead], texts[bestRead], Weight(boxes[bestRead], texts[bestRead]));
            CaptureIfBest(bestTrack, frame);
        }

        for (int r = 0; r < n; r++)
        {
            if (trackOfRead[r] >= 0 || texts[r].Length < 2) continue;
            int free = FreeSlot();
            if (free < 0) break;  // every slot busy: a crowded scene; this read waits for the next frame
            _tracks[free].Start(frame, time, boxes[r], texts[r], Weight(boxes[r], texts[r]));
            CaptureIfBest(free, frame);
            trackTaken[free] = true;
        }

        Span<bool> ending = stackalloc bool[_tracks.Length];
        for (int t = 0; t < _tracks.Length; t++) ending[t] = _tracks[t].Active && frame - _tracks[t].LastFrame > _options.EndAfterMissedFrames;
        EndAll(ending, sink, cameraId);
    }

    /// <summary>The source ended: every open pass is complete.</summary>
    public void Flush(IPassSink sink, string cameraId = "")
    {
        Span<bool> ending = stackalloc bool[_tracks.Length];
        for (int t = 0; t < _tracks.Length; t++) ending[t] = _tracks[t].Active;
        EndAll(ending, sink, cameraId);
    }

    /// <summary>Passes dropped as a part of another vehicle's plate followed beside it (see <see cref="IsFragment"/>).</summary>
    public long FragmentsDropped { get; private set; }

    // The fragments are told apart while every ending track can still be compared with the others.
    private void EndAll(ReadOnlySpan<bool> ending, IPassSink sink, string cameraId)
    {
        Span<bool> fragment = stackalloc bool[_tracks.Length];
        for (int t = 0; t < _tracks.Length; t++) fragment[t] = ending[t] && IsFragment(t);
        for (int t = 0; t < _tracks.Length; t++)
        {
            if (!ending[t]) continue;
            if (fragment[t])
            {
                _tracks[t].Stop();
                FragmentsDropped++;
            }
            else End(t, sink, cameraId);
        }
    }

    // A track that followed part of a plate another track followed whole at the same time: the finder gave two
    // candidates on one plate (its left and right groups, or the whole plate and its last five characters) and
    // each started a pass, so one vehicle would be emitted twice. It is a fragment when the other track saw
    // more frames, overlapped it in time, lies on the same row beside it, and its text shares a run of at least
    // three characters (all of them, when shorter) with the other's and is no longer.
    private bool IsFragment(int slot)
    {
        Track a = _tracks[slot];
        ReadOnlySpan<char> text = a.LastText.Chars;
        for (int t = 0; t < _tracks.Length; t++)
        {
            Track b = _tracks[t];
            if (t == slot || !b.Active || b.Observations <= a.Observations || b.FirstFrame > a.LastFrame || b.LastFrame < a.FirstFrame) continue;
            ReadOnlySpan<char> other = b.LastText.Chars;
            if (text.Length > other.Length || TextSimilarity.LongestCommonRun(text, other) < Math.Min(3, text.Length)) continue;
            var (bx, by) = b.PredictCenter(a.LastFrame);
            PlateCandidate box = a.LastBox;
            float height = Math.Max(box.Height, b.LastBox.Height);
            if (MathF.Abs(box.CenterY - by) < height && MathF.Abs(box.CenterX - bx) < (box.Width + b.LastBox.Width) / 2 + height) return true;
        }
        return false;
    }

    // The evidence hook: a copy of the frame region only when this frame holds the track's best read so far.
    private void CaptureIfBest(int slot, long frame)
    {
        if (Evidence is null || _pixels is null || _tracks[slot].BestFrame != frame) return;
        Evidence.Capture(slot, _pixels, _tracks[slot].BestBox);
    }

    private void End(int slot, IPassSink sink, string cameraId)
    {
        Track track = _tracks[slot];
        track.Stop();
        if (track.Observations < _options.MinObservations)
        {
            PhantomsDropped++;
            return;
        }
        VehiclePass? pass = _voter.Vote(track, cameraId);
        if (pass is null || pass.Confidence < _options.MinConfidence) PhantomsDropped++;
        else
        {
            pass.Evidence = Evidence?.Take(slot, track.BestFrame);
            sink.OnPass(pass);
        }
    }

    private int FreeSlot()
    {
        for (int t = 0; t < _tracks.Length; t++)
            if (!_tracks[t].Active) return t;
        return -1;
    }

    // How likely a read continues a track: 0 means it does not.
    private float Affinity(Track track, long frame, in PlateCandidate box, in PlateText text)
    {
        long gap = frame - track.LastFrame;
        if (gap <= 0 || gap > _options.EndAfterMissedFrames + 1) return 0;
        var (px, py) = track.PredictCenter(frame);
        float scale = Math.Max(8f, Math.Max(box.Height, track.LastBox.Height));
        float dx = (box.CenterX - px) / scale, dy = (box.CenterY - py) / scale;
        float distance = MathF.Sqrt(dx * dx + dy * dy);
        if (distance > _options.MaxJumpPlateHeights) return 0;
        float similarity = TextSimilarity.Of(track.LastText.Chars, text.Chars);
        // Near and alike: the same plate. Near but unlike (another read of a blurred frame) still links
        // when very near; alike but farther links when the text is nearly the same.
        if (similarity < 0.3f && distance > 0.75f) return 0;
        return (1f - distance / _options.MaxJumpPlateHeights) + similarity;
    }

    private static float Weight(in PlateCandidate box, in PlateText text) =>
        Math.Max(0.01f, text.MeanConfidence) * (text.MatchesGrammar ? 1f : 0.3f) * (0.5f + 0.5f * box.Score);
}
