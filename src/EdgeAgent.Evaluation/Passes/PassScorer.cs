using System.Collections.Concurrent;
using System.Globalization;

using EdgeAgent.Core.Plates;
using EdgeAgent.Evaluation.Scoring;

namespace EdgeAgent.Evaluation.Passes;

/// <summary>A pass the agent emitted, as the scorer needs it (the text stays in memory, never printed).</summary>
public sealed record ObservedPass(string Text, long FirstFrame, long LastFrame, long BestFrame, BoxI BestBox, float Confidence,
    int Observations = 0, bool MatchesGrammar = false);

/// <summary>
/// What a phantom was, without its text: its frames, reads and confidence, and the vehicle nearest in time
/// (frames between them, 0 when they overlap; the edit distance of the read to that plate): a fragment of a
/// vehicle reads close to its plate just outside its frames, a read of something else does not.
/// </summary>
public sealed record PhantomDetail(long FirstFrame, long LastFrame, long BestFrame, BoxI BestBox, int Observations, float Confidence, bool MatchesGrammar, int Length,
    int NearestPass, long FramesAway, int EditDistance);

/// <summary>
/// Scores the passes a replay emitted against the generator's truth. A pass belongs to the vehicle whose
/// plate box overlaps its best box in its best frame (or, without per-frame boxes, whose frames overlap
/// its own and whose plate reads closest); a pass that belongs to no vehicle is a phantom, a second pass
/// of a vehicle a duplicate. The truth boxes a plate only while it is wholly in view, so a pass whose best
/// frame has no box of the vehicle it overlaps in time is placed by its frames and text. A vehicle is found when any pass belongs to it, and read exactly when its
/// most confident pass equals the plate.
/// </summary>
public sealed class PassScorer(PassTruth truth)
{
    private readonly ConcurrentQueue<ObservedPass> _passes = new();

    public int Observed => _passes.Count;

    public void Add(ObservedPass pass) => _passes.Enqueue(pass);

    public PassReport Score()
    {
        var byTruth = new List<ObservedPass>[truth.Passes.Count];
        for (int i = 0; i < byTruth.Length; i++) byTruth[i] = [];
        var phantoms = new List<ObservedPass>();
        foreach (ObservedPass p in _passes.OrderBy(p => p.FirstFrame))
        {
            int t = truth.PassAt(p.BestFrame, p.BestBox);
            if (t < 0)
            {
                // The truth boxes a plate only while it is wholly in view: a pass whose best frame shows its
                // plate entering or leaving is placed by its frames and text, as without boxes.
                t = ClosestInTime(p);
                if (t >= 0 && truth.HasBox(t, p.BestFrame)) t = -1;
            }
            if (t < 0) phantoms.Add(p);
            else byTruth[t].Add(p);
        }

        var outcomes = new List<PassOutcome>(truth.Passes.Count);
        for (int t = 0; t < truth.Passes.Count; t++)
        {
            outcomes.Add(new PassOutcome(truth.Passes[t], byTruth[t]));
        }
        return new PassReport(outcomes, phantoms.Select(p => p.Confidence).ToList(), _passes.Count)
        {
            PhantomDetails = phantoms.Select(Describe).ToList(),
        };
    }

    private PhantomDetail Describe(ObservedPass p)
    {
        int nearest = -1;
        long away = long.MaxValue;
        for (int t = 0; t < truth.Passes.Count; t++)
        {
            TruthPass tp = truth.Passes[t];
            long d = Math.Max(0, Math.Max(tp.FirstFrame - p.LastFrame, p.FirstFrame - tp.LastFrame));
            if (d < away)
            {
                away = d;
                nearest = t;
            }
        }
        int distance = nearest < 0 ? -1 : TextScore.EditDistance(TextScore.Normalize(p.Text), truth.Passes[nearest].Plate);
        return new PhantomDetail(p.FirstFrame, p.LastFrame, p.BestFrame, p.BestBox, p.Observations, p.Confidence, p.MatchesGrammar, p.Text.Length, nearest,
            nearest < 0 ? -1 : away, distance);
    }

    private int ClosestInTime(ObservedPass p)
    {
        int best = -1;
        int bestDistance = int.MaxValue;
        for (int t = 0; t < truth.Passes.Count; t++)
        {
            TruthPass tp = truth.Passes[t];
            if (p.LastFrame < tp.FirstFrame || p.FirstFrame > tp.LastFrame) continue;
            int d = TextScore.EditDistance(TextScore.Normalize(p.Text), tp.Plate);
            if (d < bestDistance && d <= tp.Plate.Length / 2)
            {
                bestDistance = d;
                best = t;
            }
        }
        return best;
    }
}

/// <summary>What became of one vehicle of the truth: the passes emitted for it, first first (more than one: a duplicate).</summary>
public sealed record PassOutcome(TruthPass Truth, IReadOnlyList<ObservedPass> Emissions)
{
    private ObservedPass? Best => Emissions.MaxBy(p => p.Confidence);

    /// <summary>The surest emission's text (null when the vehicle was not emitted).</summary>
    public string? Read => Best?.Text;
    public float Confidence => Best?.Confidence ?? 0;
    public int Passes => Emissions.Count;
    public bool Found => Passes > 0;
    public bool Exact => Found && TextScore.Exact(Read, Truth.Plate);

    /// <summary>A vehicle emitted more than once: each emission's frames, frame count, confidence and whether it read exactly.</summary>
    public string DescribeDuplicate(int index) => string.Create(CultureInfo.InvariantCulture, $"{Vehicle(index)} {Kind} emitted {Emissions.Count} times: ")
        + string.Join("; ", Emissions.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"frames {e.FirstFrame}-{e.LastFrame} ({e.Observations} seen) at confidence {e.Confidence:0.00}, {(TextScore.Exact(e.Text, Truth.Plate) ? "exact" : "not exact")}")));

    /// <summary>
    /// Where a vehicle not read exactly is in the video and what went wrong, for finding it again: its frames,
    /// first box, layout and conditions, and the wrong characters only (never the registration).
    /// </summary>
    public string DescribeMiss(int index)
    {
        string what = "not emitted";
        if (Found)
        {
            var edits = new ConfusionTally();
            edits.Add(Read, Truth.Plate);
            what = string.Create(CultureInfo.InvariantCulture, $"read at confidence {Confidence:0.00} with {edits.Summary()}");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{Vehicle(index)} at {Truth.Box.X},{Truth.Box.Y} {Truth.Box.Width}x{Truth.Box.Height} {Kind}: {what}");
    }

    private string Vehicle(int index) => string.Create(CultureInfo.InvariantCulture, $"vehicle {index + 1} frames {Truth.FirstFrame}-{Truth.LastFrame}");

    private string Kind => $"({Truth.Layout} {Truth.Side}, lane {Truth.Lane}, {string.Join('+', Truth.Conditions)})";
}

/// <summary>The figures of a scored replay: overall, per condition, per layout, the confusions and the confidence calibration.</summary>
public sealed class PassReport
{
    private static readonly float[] Bins = [0f, 0.5f, 0.7f, 0.8f, 0.9f, 0.95f, 1.01f];

    public PassReport(IReadOnlyList<PassOutcome> outcomes, IReadOnlyList<float> phantomConfidences, int emitted)
    {
        Outcomes = outcomes;
        Emitted = emitted;
        Phantoms = phantomConfidences.Count;
        Duplicates = outcomes.Sum(o => Math.Max(0, o.Passes - 1));
        foreach (PassOutcome o in outcomes)
            if (!o.Exact) Confusions.Add(o.Read, o.Truth.Plate);
        var calibration = new List<CalibrationBin>();
        for (int b = 0; b + 1 < Bins.Length; b++)
        {
            float lo = Bins[b], hi = Bins[b + 1];
            var inBin = outcomes.Where(o => o.Found && o.Confidence >= lo && o.Confidence < hi).ToList();
            int phantoms = phantomConfidences.Count(c => c >= lo && c < hi);
            calibration.Add(new CalibrationBin(lo, Math.Min(1f, hi), inBin.Count + phantoms, inBin.Count(o => o.Exact)));
        }
        Calibration = calibration;
    }

    public IReadOnlyList<PassOutcome> Outcomes { get; }
    public IReadOnlyList<PhantomDetail> PhantomDetails { get; init; } = [];
    public int Emitted { get; }
    public int Phantoms { get; }
    public int Duplicates { get; }
    public int Passes => Outcomes.Count;
    public int Found => Outcomes.Count(o => o.Found);
    public int Exact => Outcomes.Count(o => o.Exact);
    public ConfusionTally Confusions { get; } = new();
    public IReadOnlyList<CalibrationBin> Calibration { get; }

    /// <summary>Phantoms as a share of the passes emitted (what the backend would wrongly be told about).</summary>
    public double PhantomShare => Emitted == 0 ? 0 : (double)Phantoms / Emitted;

    /// <summary>(group, passes, found, exact) per condition of the hard set ("clean" included).</summary>
    public IEnumerable<(string Group, int Passes, int Found, int Exact)> ByCondition =>
        Outcomes.SelectMany(o => o.Truth.Conditions.Select(c => (c, o))).GroupBy(x => x.c, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Count(x => x.o.Found), g.Count(x => x.o.Exact)));

    public IEnumerable<(string Group, int Passes, int Found, int Exact)> ByLayout =>
        Outcomes.GroupBy(o => $"{o.Truth.Layout} {o.Truth.Side}", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Count(o => o.Found), g.Count(o => o.Exact)));

    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"passes={Passes} found={Share(Found):0.000} exact={Share(Exact):0.000} phantoms={Phantoms} phantom_share={PhantomShare:0.000} duplicates={Duplicates}");

    private double Share(int n) => Passes == 0 ? 0 : (double)n / Passes;
}

/// <summary>Passes whose confidence lies in [Low, High): how many, and how many were read exactly.</summary>
public sealed record CalibrationBin(float Low, float High, int Passes, int Exact)
{
    public double ExactShare => Passes == 0 ? 0 : (double)Exact / Passes;
}
