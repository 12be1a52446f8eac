using EdgeAgent.Vision.Native;

namespace EdgeAgent.CharTrainer;

/// <summary>Training rows (the classifier's features) and their classes, with counts for the log.</summary>
internal sealed class SampleSet
{
    private readonly List<float> _features = [];
    private readonly List<int> _labels = [];
    private readonly List<int> _groups = [];
    private readonly int[] _perClass = new int[CharRead.Classes];

    /// <summary>
    /// The plate (or photo) the next samples come from. Every tenth group is held back from training as a
    /// whole, so the network is measured, and its confidence calibrated, on plates it never saw, not on
    /// other cuts of the plates it learned.
    /// </summary>
    public int Group { get; set; }

    public int Count => _labels.Count;
    public int NoiseCount => _perClass[CharRead.NoiseClass];
    public ReadOnlySpan<int> PerClass => _perClass;

    public unsafe void Add(in CharSample sample, int label)
    {
        fixed (float* f = sample.FeatureValues)
            for (int i = 0; i < CharSample.Features; i++) _features.Add(f[i]);
        _labels.Add(label);
        _groups.Add(Group);
        _perClass[label]++;
    }

    public void AddRange(SampleSet other)
    {
        _features.AddRange(other._features);
        _labels.AddRange(other._labels);
        _groups.AddRange(other._groups);
        for (int i = 0; i < _perClass.Length; i++) _perClass[i] += other._perClass[i];
    }

    /// <summary>Writes the shuffled rows as raw little-endian floats and ints (for experiments outside the tool).</summary>
    public void Dump(string prefix, int seed)
    {
        var (features, labels) = Shuffled(seed);
        File.WriteAllBytes(prefix + ".f32", System.Runtime.InteropServices.MemoryMarshal.AsBytes(features.AsSpan()).ToArray());
        File.WriteAllBytes(prefix + ".i32", System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan()).ToArray());
    }

    /// <summary>
    /// The rows in a fixed pseudo-random order, the held-back groups' rows in every tenth place (where the
    /// bridge's training holds its tenth back), the others everywhere else.
    /// </summary>
    public (float[] Features, int[] Labels) Shuffled(int seed)
    {
        int n = _labels.Count;
        var rng = new Random(seed);
        var held = new List<int>();
        var kept = new List<int>();
        for (int i = 0; i < n; i++) (HeldBack(_groups[i]) ? held : kept).Add(i);
        int[] heldOrder = held.ToArray(), keptOrder = kept.ToArray();
        rng.Shuffle(heldOrder);
        rng.Shuffle(keptOrder);
        var order = new int[n];
        int h = 0, k = 0;
        for (int i = 0; i < n; i++)
            order[i] = (i % 10 == 9 && h < heldOrder.Length) || k >= keptOrder.Length ? heldOrder[h++] : keptOrder[k++];
        var features = new float[n * CharSample.Features];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int src = order[i];
            labels[i] = _labels[src];
            for (int f = 0; f < CharSample.Features; f++) features[(i * CharSample.Features) + f] = _features[(src * CharSample.Features) + f];
        }
        return (features, labels);
    }

    private static bool HeldBack(int group) => (uint)(group * 2654435761u) % 10 == 3;
}

/// <summary>
/// Aligns the cuts of one plate with its label. A cut with as many boxes as the label has characters
/// aligns one to one; with a model, a cut with a few boxes more is aligned by dynamic programming
/// (the label's characters to the boxes that most look like them, in order) and the boxes left over
/// (emblems, stickers, dashes, bolts, pieces of characters) become examples of "not a character".
/// With a model, an alignment the model finds implausible is refused: a cut that missed a character and
/// caught a sticker instead would otherwise teach the network wrong names.
/// </summary>
internal static class Aligner
{
    public sealed record Result(int AcceptedCuts, int Characters, int Noise);

    public static unsafe Result Align(ReadOnlySpan<CharSample> samples, string label, bool withModel, int maxCuts, SampleSet into)
    {
        var cuts = new List<(int Start, int Count)>();
        for (int i = 0; i < samples.Length;)
        {
            int j = i;
            while (j < samples.Length && samples[j].Cut == samples[i].Cut) j++;
            cuts.Add((i, j - i));
            i = j;
        }

        var candidates = new List<(double Score, int Start, int[] Assignment)>();
        foreach (var (start, count) in cuts)
        {
            if (count < label.Length || count > label.Length + 3) continue;
            if (count > label.Length && !withModel) continue;
            int[] assignment = new int[count];  // label index per box, -1 for a box left over
            double logP = 0;
            if (count == label.Length)
            {
                for (int k = 0; k < count; k++)
                {
                    assignment[k] = k;
                    if (withModel) logP += Math.Log(Math.Max(1e-6, Prob(samples[start + k], label[k])));
                }
            }
            else
            {
                logP = BestAlignment(samples.Slice(start, count), label, assignment);
            }
            double mean = Math.Exp(logP / label.Length);
            if (withModel && mean < (count == label.Length ? 0.05 : 0.25)) continue;
            candidates.Add((withModel ? mean : 1, start, assignment));
        }

        int accepted = 0, characters = 0, noise = 0;
        var chosen = candidates.OrderByDescending(c => c.Score).Take(maxCuts).ToList();
        if (chosen.Count > 0) noise += WrongPolarityNoise(samples, cuts, samples[chosen[0].Start].DarkOnLight, into);
        foreach (var (_, start, assignment) in chosen)
        {
            accepted++;
            for (int k = 0; k < assignment.Length; k++)
            {
                if (assignment[k] >= 0)
                {
                    into.Add(samples[start + k], CharRead.ClassOf(label[assignment[k]]));
                    characters++;
                }
                else
                {
                    into.Add(samples[start + k], CharRead.NoiseClass);
                    noise++;
                }
            }
        }
        return new Result(accepted, characters, noise);
    }

    /// <summary>
    /// Boxes of a cut that took the plate for the other polarity are the gaps between characters, or
    /// the plate's ground: "not a character". A few of one such cut per plate are enough.
    /// </summary>
    private static int WrongPolarityNoise(ReadOnlySpan<CharSample> samples, List<(int Start, int Count)> cuts, int darkOnLight, SampleSet into)
    {
        foreach (var (start, count) in cuts)
        {
            if (samples[start].DarkOnLight == darkOnLight) continue;
            int added = 0;
            for (int k = 0; k < count && added < 4; k += Math.Max(1, count / 4), added++) into.Add(samples[start + k], CharRead.NoiseClass);
            return added;
        }
        return 0;
    }

    /// <summary>
    /// Aligns cuts with characters whose positions are known (rendered plates): a box centred on a
    /// character (within a third of its height) and about as tall is that character; a box far from every
    /// character is "not a character"; a cut that gives one character two boxes, or misses more than one,
    /// is refused.
    /// </summary>
    public static Result AlignByPosition(ReadOnlySpan<CharSample> samples, string label, IReadOnlyList<(float X, float Y)> centres,
        float charHeight, bool inverted, int maxCuts, SampleSet into)
    {
        int accepted = 0, characters = 0, noise = 0;
        var cuts = new List<(int Start, int Count)>();
        for (int i = 0; i < samples.Length;)
        {
            int j = i;
            while (j < samples.Length && samples[j].Cut == samples[i].Cut) j++;
            cuts.Add((i, j - i));
            i = j;
        }
        noise += WrongPolarityNoise(samples, cuts, inverted ? 0 : 1, into);
        for (int i = 0; i < samples.Length && accepted < maxCuts;)
        {
            int j = i;
            while (j < samples.Length && samples[j].Cut == samples[i].Cut) j++;
            if (samples[i].DarkOnLight != (inverted ? 0 : 1))
            {
                i = j;
                continue;
            }
            var assignment = new int[j - i];
            var used = new bool[centres.Count];
            bool ok = true;
            int matched = 0;
            for (int k = i; k < j && ok; k++)
            {
                int nearest = -1;
                double best = double.MaxValue;
                for (int c = 0; c < centres.Count; c++)
                {
                    double d = Math.Sqrt(Math.Pow(samples[k].FrameX - centres[c].X, 2) + Math.Pow(samples[k].FrameY - centres[c].Y, 2));
                    if (d < best)
                    {
                        best = d;
                        nearest = c;
                    }
                }
                bool tallEnough = samples[k].FrameHeight > 0.7 * charHeight && samples[k].FrameHeight < 1.4 * charHeight;
                if (best < charHeight / 3 && tallEnough)
                {
                    ok = !used[nearest];
                    used[nearest] = true;
                    assignment[k - i] = nearest;
                    matched++;
                }
                else
                {
                    assignment[k - i] = best > charHeight * 0.45 ? -1 : -2;   // -2: a piece of a character, left out
                }
            }
            if (ok && matched >= centres.Count - 1)
            {
                accepted++;
                for (int k = 0; k < assignment.Length; k++)
                {
                    if (assignment[k] >= 0)
                    {
                        into.Add(samples[i + k], CharRead.ClassOf(label[assignment[k]]));
                        characters++;
                    }
                    else if (assignment[k] == -1)
                    {
                        into.Add(samples[i + k], CharRead.NoiseClass);
                        noise++;
                    }
                }
            }
            i = j;
        }
        return new Result(accepted, characters, noise);
    }

    private static unsafe float Prob(in CharSample s, char c)
    {
        fixed (float* p = s.Probabilities) return p[CharRead.ClassOf(c)];
    }

    private static unsafe float NoiseProb(in CharSample s)
    {
        fixed (float* p = s.Probabilities) return p[CharRead.NoiseClass];
    }

    // Boxes b_0..b_{n-1} to label characters l_0..l_{m-1} in order, each character one box, maximising
    // the sum of log P(character | box) plus log P(noise | box) for the boxes left over.
    private static double BestAlignment(ReadOnlySpan<CharSample> boxes, string label, int[] assignment)
    {
        int n = boxes.Length, m = label.Length;
        var best = new double[n + 1, m + 1];
        var took = new bool[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
            for (int j = 0; j <= m; j++) best[i, j] = double.NegativeInfinity;
        best[0, 0] = 0;
        for (int i = 1; i <= n; i++)
        {
            double skip = Math.Log(NoiseProb(boxes[i - 1]) + 0.01);
            for (int j = 0; j <= Math.Min(i, m); j++)
            {
                double leave = best[i - 1, j] + skip;
                double take = j > 0 ? best[i - 1, j - 1] + Math.Log(Math.Max(1e-6, Prob(boxes[i - 1], label[j - 1]))) : double.NegativeInfinity;
                took[i, j] = take > leave;
                best[i, j] = Math.Max(take, leave);
            }
        }
        double labelLogP = 0;
        for (int i = n, j = m; i > 0; i--)
        {
            if (j > 0 && took[i, j])
            {
                assignment[i - 1] = j - 1;
                labelLogP += Math.Log(Math.Max(1e-6, Prob(boxes[i - 1], label[j - 1])));
                j--;
            }
            else
            {
                assignment[i - 1] = -1;
            }
        }
        return labelLogP;
    }
}
