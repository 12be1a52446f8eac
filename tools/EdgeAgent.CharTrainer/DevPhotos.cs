using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Evaluation.Photos;
using EdgeAgent.Evaluation.Scoring;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.CharTrainer;

/// <summary>
/// Character crops of labelled photos, aligned with their labels. Each photo's plate is cut from the
/// labelled box and from the finder's own candidates on it (what the reader meets in use), clean and
/// in a few degraded, jittered copies, and the cuts are aligned with the label (see <see cref="Aligner"/>).
/// A photo whose fold is held out is never looked at.
/// </summary>
internal static class DevPhotos
{
    /// <summary>The fold of a photo: a stable hash of its file name, so folds never depend on the order of the index.</summary>
    public static int FoldOf(string file, int folds)
    {
        uint hash = 2166136261;
        foreach (char c in file)
        {
            hash ^= c;
            hash *= 16777619;
        }
        return (int)(hash % (uint)folds);
    }

    public static (int Photos, int Plates, int Characters, int Noise) Collect(IReadOnlyList<LabelledPhoto> photos, string root,
        CharTraining sampler, bool withModel, int augmentations, int seed, SampleSet into)
    {
        var rng = new Random(seed);
        var samples = new CharSample[512];
        var candidates = new PlateCandidate[8];
        using var finder = new OpenCvPlateFinder();
        int used = 0, plates = 0, characters = 0, noise = 0;
        foreach (LabelledPhoto photo in photos)
        {
            into.Group = 1_000_000 + photo.Line;
            Frame frame;
            try
            {
                frame = StillImage.Load(Path.Combine(root, photo.File));
            }
            catch (VisionException e)
            {
                Console.Error.WriteLine($"  skipped {photo.File}: {e.Message}");
                continue;
            }
            used++;
            string label = TextScore.Normalize(photo.Plate);
            var boxes = new List<PlateCandidate> { FromLabel(photo.Box) };
            int found = finder.Find(frame.GrayImage, PhotoEvaluator.RegionFor(frame.Width, frame.Height), candidates);
            for (int i = 0; i < found && boxes.Count < 3; i++)
                if (candidates[i].Bounds.IntersectionOverUnion(photo.Box) >= PhotoEvaluator.FoundIou) boxes.Add(candidates[i]);

            bool any = false;
            foreach (PlateCandidate box in boxes)
            {
                for (int a = 0; a < augmentations; a++)
                {
                    var (gray, w, h, local) = Region(frame, box, photo.Box);
                    if (a > 0)
                    {
                        CharTraining.Degrade(gray, w, h, w, Mild(rng));
                        local = Jitter(local, rng);
                    }
                    int n = sampler.Samples(new GrayImage(gray, w, h, w), local, samples);
                    var result = Aligner.Align(samples.AsSpan(0, n), label, withModel, maxCuts: 2, into);
                    characters += result.Characters;
                    noise += result.Noise;
                    any |= result.AcceptedCuts > 0;
                }
            }
            if (any) plates++;
        }
        return (used, plates, characters, noise);
    }

    private static PlateCandidate FromLabel(BoxI box) => new()
    {
        CenterX = box.X + (box.Width / 2f),
        CenterY = box.Y + (box.Height / 2f),
        Width = box.Width,
        Height = box.Height,
        X = box.X,
        Y = box.Y,
        BoundsWidth = box.Width,
        BoundsHeight = box.Height,
        Score = 1,
        DarkOnLight = 1,
    };

    // A copy of the image around the plate (degrading a whole photo for each copy would be wasteful).
    private static (byte[] Gray, int Width, int Height, PlateCandidate Box) Region(Frame frame, PlateCandidate box, BoxI label)
    {
        int pad = Math.Max(label.Height, (int)box.Height) * 2;
        int x0 = Math.Max(0, Math.Min(label.X, box.X) - pad), y0 = Math.Max(0, Math.Min(label.Y, box.Y) - pad);
        int x1 = Math.Min(frame.Width, Math.Max(label.Right, box.X + box.BoundsWidth) + pad);
        int y1 = Math.Min(frame.Height, Math.Max(label.Bottom, box.Y + box.BoundsHeight) + pad);
        int w = x1 - x0, h = y1 - y0;
        var gray = new byte[w * h];
        for (int y = 0; y < h; y++) frame.Gray.AsSpan(((y0 + y) * frame.GrayStride) + x0, w).CopyTo(gray.AsSpan(y * w, w));
        PlateCandidate local = box;
        local.CenterX -= x0;
        local.CenterY -= y0;
        local.X -= x0;
        local.Y -= y0;
        return (gray, w, h, local);
    }

    private static PlateCandidate Jitter(PlateCandidate box, Random rng)
    {
        box.CenterX += (float)((rng.NextDouble() - 0.5) * 0.16 * box.Height);
        box.CenterY += (float)((rng.NextDouble() - 0.5) * 0.16 * box.Height);
        box.Width *= (float)(0.92 + (rng.NextDouble() * 0.2));
        box.Height *= (float)(0.9 + (rng.NextDouble() * 0.25));
        box.AngleDegrees += (float)((rng.NextDouble() - 0.5) * 8);
        return box;
    }

    private static DegradeParams Mild(Random rng)
    {
        var p = DegradeParams.None;
        p.BlurSigma = (float)(rng.NextDouble() * 1.0);
        p.Contrast = (float)(0.55 + (rng.NextDouble() * 0.55));
        p.Brightness = (float)((rng.NextDouble() - 0.5) * 40);
        p.Gamma = (float)Math.Exp((rng.NextDouble() - 0.5) * 0.6);
        p.NoiseSigma = (float)(rng.NextDouble() * 8);
        p.JpegQuality = rng.NextDouble() < 0.3 ? rng.Next(20, 70) : 0;
        p.Seed = (ulong)rng.NextInt64();
        return p;
    }
}
