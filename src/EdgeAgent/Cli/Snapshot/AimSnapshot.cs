using System.Globalization;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Hosting;
using EdgeAgent.Ocr;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Settings;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Annotation;
using EdgeAgent.Vision.Redaction;

namespace EdgeAgent.Cli.Snapshot;

/// <summary>A plate seen in the snapshot: where, how tall, whether it read as a plate. Never its text.</summary>
public readonly record struct SeenPlate(BoxI Box, float Confidence, bool MatchesGrammar);

/// <summary>What the snapshot shows, for the command's summary.</summary>
public sealed record AimResult(string Path, long FrameIndex, int FramesLooked, IReadOnlyList<SeenPlate> Plates, RedactionResult Redaction);

/// <summary>
/// One frame for checking the aim: taken from the camera (the frame among the first few with the most plates
/// read), redacted like any image the agent keeps, then drawn on: the region of interest, the lane
/// boundaries, the privacy masks, each plate found with its height against the profile's range.
/// </summary>
public static class AimSnapshot
{
    private const int MaxCandidates = 8;

    /// <param name="beforeWrite">Runs once the frame is redacted and before it is written (the audit entry):
    /// when it throws, nothing is written.</param>
    public static AimResult Take(AgentSettings settings, HardwareProfile profile, string source, int frames, string outPath,
        Action<RedactionResult>? beforeWrite = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(profile);
        using VideoFrameSource camera = VideoFrameSource.Open(source);
        FrameSourceInfo info = camera.Info;
        if (info.Width != profile.Width || info.Height != profile.Height)
            throw new FrameSourceException($"{source} delivers {info.Width}x{info.Height} but profile {profile.Name} expects {profile.Width}x{profile.Height}: " +
                                           "set the camera's stream to the profile's size, or use the matching profile");
        using var finder = new OpenCvPlateFinder();
        using var reader = new TesseractPlateReader(new PlateGrammar(CameraPipelineFactory.ParseGrammar(settings.Ocr.Grammar)), settings.Ocr.TessDataPath);
        var region = new FindRegion(profile.Roi.X, profile.Roi.Y, profile.Roi.Width, profile.Roi.Height, profile.PlateHeightPx.Min, profile.PlateHeightPx.Max);

        var frame = new Frame(info.Width, info.Height);
        var best = new Frame(info.Width, info.Height);
        List<SeenPlate> bestPlates = [];
        var candidates = new PlateCandidate[MaxCandidates];
        var text = new PlateText();
        int looked = 0;
        long bestIndex = -1;
        while (looked < frames && camera.Read(frame) == FrameReadResult.Frame)
        {
            frame.Index = looked++;
            int found = finder.Find(frame.GrayImage, region, candidates);
            var plates = new List<SeenPlate>();
            for (int i = 0; i < found; i++)
            {
                text.Clear();
                if (reader.TryRead(frame.GrayImage, ref candidates[i], ref text))
                    plates.Add(new SeenPlate(candidates[i].Bounds, text.MeanConfidence, text.MatchesGrammar));
            }
            text.Clear();  // the registration goes no further than this loop
            if (bestIndex < 0 || Score(plates) > Score(bestPlates))
            {
                frame.Bgr.CopyTo(best.Bgr, 0);
                best.Index = frame.Index;
                bestIndex = frame.Index;
                bestPlates = plates;
            }
        }
        if (bestIndex < 0) throw new FrameSourceException($"{source} opened but gave no frame");

        // Redacted before anything else touches it; a frame that cannot be redacted is never written.
        SeenPlate? clearest = bestPlates.Count == 0 ? null : bestPlates.MaxBy(p => p.Box.Height);
        RedactionResult redaction = SnapshotRedaction.Apply(best, profile, settings.Evidence.CascadeFolder, clearest?.Box);
        Draw(profile, bestPlates).DrawOn(best);
        beforeWrite?.Invoke(redaction);
        FrameAnnotation.Write(best, outPath);
        return new AimResult(Path.GetFullPath(outPath), bestIndex, looked, bestPlates, redaction);
    }

    // Plates that read as plates first, then anything read.
    private static int Score(List<SeenPlate> plates) => plates.Count(p => p.MatchesGrammar) * 100 + plates.Count;

    internal static FrameAnnotation Draw(HardwareProfile profile, IReadOnlyList<SeenPlate> plates)
    {
        var a = new FrameAnnotation();
        Region roi = profile.Roi;
        a.Rectangle(roi.X, roi.Y, roi.Width, roi.Height, Rgb.Roi, $"ROI {roi.Width}x{roi.Height}", thickness: 3);
        foreach (Lane lane in profile.Lanes)
        {
            int left = Math.Clamp(lane.XMin, roi.X, roi.X + roi.Width - 1);
            if (left > roi.X) a.Line(left, roi.Y, left, roi.Y + roi.Height - 1, Rgb.Lane, thickness: 2);
            a.Line(left + 4, roi.Y + roi.Height / 2, left + 5, roi.Y + roi.Height / 2, Rgb.Lane, $"lane {lane.Name} {lane.Direction}", thickness: 1);
        }
        foreach (var (name, points) in SnapshotRedaction.Masks(profile))
            a.Polygon(points, Rgb.Mask, $"privacy mask {name}", thickness: 2);
        // The plate height range as two bars at the region's lower left: plates should fall between them.
        int x = roi.X + 12, bottom = roi.Y + roi.Height - 12;
        a.Line(x, bottom - profile.PlateHeightPx.Min, x, bottom, Rgb.Guide, $"min plate {profile.PlateHeightPx.Min} px", thickness: 4);
        a.Line(x + 170, bottom - profile.PlateHeightPx.Max, x + 170, bottom, Rgb.Guide, $"max plate {profile.PlateHeightPx.Max} px", thickness: 4);
        foreach (SeenPlate p in plates)
        {
            string label = string.Create(CultureInfo.InvariantCulture, $"plate {p.Box.Height} px {p.Confidence:0.00}{(p.MatchesGrammar ? "" : " ?")}");
            a.Rectangle(p.Box.X, p.Box.Y, p.Box.Width, p.Box.Height, Rgb.Plate, label, thickness: 3);
        }
        return a;
    }
}
