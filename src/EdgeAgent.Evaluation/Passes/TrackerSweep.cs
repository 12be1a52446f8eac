using System.Globalization;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;

namespace EdgeAgent.Evaluation.Passes;

/// <summary>
/// Keeps every frame's reads of a replay in memory, then re-runs the tracker on them with each setting of a
/// grid and scores the passes against the truth: the pass emission's settings are chosen on one seed of the
/// hard set and checked on another without finding and reading the video again. Nothing is written anywhere.
/// </summary>
public sealed class TrackerSweep : IObservationTap
{
    private readonly List<(long Frame, DateTimeOffset Time, PlateCandidate[] Boxes, PlateText[] Texts)> _frames = [];

    public int Frames => _frames.Count;

    public void Observed(long frame, DateTimeOffset time, ReadOnlySpan<PlateCandidate> boxes, ReadOnlySpan<PlateText> texts)
    {
        lock (_frames) _frames.Add((frame, time, boxes.ToArray(), texts.ToArray()));
    }

    /// <summary>The settings tried: pass end, minimum reads and confidence floor around the defaults.</summary>
    public static IEnumerable<TrackerOptions> Grid()
    {
        foreach (int end in new[] { 4, 6, 8, 10 })
            foreach (int min in new[] { 2, 3, 4, 5, 6, 8 })
                foreach (float floor in new[] { 0f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f })
                    yield return new TrackerOptions { EndAfterMissedFrames = end, MinObservations = min, MinConfidence = floor };
    }

    public PassReport Run(TrackerOptions options, PassTruth truth)
    {
        var tracker = new PlateTracker(options with { Tap = null });
        var scorer = new PassScorer(truth);
        var sink = new Sink(scorer);
        foreach (var (frame, time, boxes, texts) in _frames) tracker.Observe(frame, time, boxes, texts, sink);
        tracker.Flush(sink);
        return scorer.Score();
    }

    public static string Describe(TrackerOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"end={o.EndAfterMissedFrames} min_reads={o.MinObservations} min_confidence={o.MinConfidence:0.00}");

    private sealed class Sink(PassScorer scorer) : IPassSink
    {
        public void OnPass(VehiclePass pass) => scorer.Add(new ObservedPass(pass.Text, pass.FirstFrame, pass.LastFrame, pass.BestFrame,
            pass.BestBox.Bounds, pass.Confidence, pass.Observations, pass.MatchesGrammar));
    }
}
