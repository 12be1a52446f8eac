using System.Diagnostics;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Evaluation.Scoring;

namespace EdgeAgent.Evaluation.Photos;

/// <summary>What became of one labelled photo.</summary>
public sealed record PhotoOutcome(
    LabelledPhoto Photo,
    bool Found,
    bool Exact,
    double CharAccuracy,
    double Milliseconds,
    double CpuMilliseconds,
    float Iou,
    string? Read,
    float Confidence,
    int Candidates,
    int Reads,
    string? Error);

/// <summary>
/// Runs the live loop's finder and reader on labelled photos, one at a time. A photo counts as found
/// when a read's box overlaps the labelled box with IoU >= 0.3; its best read is the most confident of
/// those reads (or, when none overlaps, of all reads), and it is exact when that equals the label.
/// A photo that cannot be decoded, or that makes a stage throw, is not found and carries the error.
/// </summary>
public sealed class PhotoEvaluator(IPlateFinder finder, IPlateReader reader, Func<string, Frame> load)
{
    public const float FoundIou = 0.3f;
    private const int MaxCandidates = 8;
    private readonly PlateCandidate[] _candidates = new PlateCandidate[MaxCandidates];
    private readonly PlateText[] _texts = new PlateText[MaxCandidates];

    /// <summary>Where and what size to search a photo of this size: the whole image, plates 1.5-40 % of its height.</summary>
    public static FindRegion RegionFor(int width, int height)
    {
        int min = Math.Max(12, (int)MathF.Round(height * 0.015f));
        int max = Math.Max(min * 2, (int)MathF.Round(height * 0.4f));
        return new FindRegion(0, 0, width, height, min, max, 1.2f, 6.5f);
    }

    public PhotoOutcome Evaluate(LabelledPhoto photo, string root)
    {
        string path = Path.Combine(root, photo.File);
        Frame frame;
        try
        {
            frame = load(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Failed(photo, e.Message);
        }
        try
        {
            return Run(photo, frame);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Failed(photo, $"{photo.File}: {e.GetType().Name}: {e.Message}");
        }
    }

    private PhotoOutcome Run(LabelledPhoto photo, Frame frame)
    {
        GrayImage image = frame.GrayImage;
        FindRegion region = RegionFor(frame.Width, frame.Height);
        TimeSpan cpuStarted = CpuTime();
        long started = Stopwatch.GetTimestamp();
        int found = finder.Find(image, region, _candidates);
        int reads = 0;
        var boxes = new BoxI[found];
        for (int i = 0; i < found; i++)
        {
            _texts[reads].Clear();
            if (!reader.TryRead(image, ref _candidates[i], ref _texts[reads])) continue;
            boxes[reads] = _candidates[i].Bounds;
            reads++;
        }
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        double cpuMs = (CpuTime() - cpuStarted).TotalMilliseconds;

        int best = -1, bestOverlapping = -1;
        float bestIou = 0;
        for (int r = 0; r < reads; r++)
        {
            float iou = boxes[r].IntersectionOverUnion(photo.Box);
            float confidence = _texts[r].WeighedConfidence;
            if (best < 0 || confidence > _texts[best].WeighedConfidence) best = r;
            if (iou >= FoundIou && (bestOverlapping < 0 || confidence > _texts[bestOverlapping].WeighedConfidence))
                bestOverlapping = r;
            bestIou = Math.Max(bestIou, iou);
        }
        int chosen = bestOverlapping >= 0 ? bestOverlapping : best;
        string? text = chosen >= 0 ? _texts[chosen].ToString() : null;
        return new PhotoOutcome(photo, bestOverlapping >= 0, TextScore.Exact(text, photo.Plate), TextScore.CharAccuracy(text, photo.Plate),
            ms, cpuMs, bestIou, text, chosen >= 0 ? _texts[chosen].WeighedConfidence : 0, found, reads, null);
    }

    private static PhotoOutcome Failed(LabelledPhoto photo, string error) =>
        new(photo, false, false, 0, 0, 0, 0, null, 0, 0, 0, error);

    // The processor time of the whole process (the finder's and reader's threads, if any, included): on a
    // busy machine the wall clock says more about the neighbours than about the reader.
    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
