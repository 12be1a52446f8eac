using System.Globalization;
using System.Numerics;
using System.Text;
using EdgeAgent.SampleGen.Plates;
using EdgeAgent.SampleGen.Scene;

namespace EdgeAgent.SampleGen.Output;

/// <summary>
/// Records, frame by frame, which plates are wholly visible and where, using the same projection
/// the renderer draws with, then writes the per-pass truth and the per-frame boxes.
/// </summary>
internal sealed class GroundTruth(RoadsideCamera camera, TrafficPlan plan)
{
    public const string TruthHeader = "plate_text\tfirst_frame\tlast_frame\tx\ty\tw\th\tlayout\tside\tlane\tconditions";
    public const string BoxesHeader = "frame\tplate_text\tx\ty\tw\th";

    private readonly Dictionary<VehiclePass, List<(int Frame, PixelRect Box)>> _seen = [];
    private readonly List<(int Frame, VehiclePass Pass, PixelRect Box)> _boxes = [];
    private double _minPlateHeight = double.MaxValue, _maxPlateHeight;

    /// <summary>Passes whose plate was hidden by another vehicle in a frame inside its visible span.</summary>
    public int InterruptedPasses { get; private set; }

    /// <summary>
    /// A plate counts as visible in a frame when all four corners are inside the frame, it faces
    /// the camera, and no nearer vehicle's outline box overlaps it (conservative: a box, not the
    /// outline, so a plate is never claimed visible while something is in front of it).
    /// </summary>
    public void Observe(int frameIndex)
    {
        double t = (double)frameIndex / plan.Fps;
        Span<Vector2> quad = stackalloc Vector2[4];
        foreach (VehiclePass p in plan.Passes)
        {
            if (t < p.TIn || t > p.TOut)
            {
                continue;
            }

            if (!VehicleGeometry.PlateQuad(camera, p, p.PoseAtTime(t), quad, out double depth)
                || !VehicleGeometry.InsideFrame(quad, camera.Width, camera.Height))
            {
                continue;
            }

            PixelRect box = VehicleGeometry.QuadBox(quad).Intersect(new PixelRect(0, 0, camera.Width, camera.Height));
            if (HiddenByAnother(p, box, depth, t))
            {
                continue;
            }

            if (!_seen.TryGetValue(p, out var list))
            {
                _seen[p] = list = [];
            }

            list.Add((frameIndex, box));
            // The plate's own height (mean of its side edges), not the box's, which grows with tilt.
            double height = (Vector2.Distance(quad[0], quad[3]) + Vector2.Distance(quad[1], quad[2])) / 2;
            _minPlateHeight = Math.Min(_minPlateHeight, height);
            _maxPlateHeight = Math.Max(_maxPlateHeight, height);
            _boxes.Add((frameIndex, p, box));
        }
    }

    private bool HiddenByAnother(VehiclePass pass, PixelRect plateBox, double plateDepth, double t)
    {
        foreach (VehiclePass other in plan.Passes)
        {
            if (other == pass || t < other.TIn || t > other.TOut)
            {
                continue;
            }

            if (VehicleGeometry.Bounds(camera, other.Model, other.PoseAtTime(t), out PixelRect box, out double nearest)
                && nearest < plateDepth && box.Intersects(plateBox))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes <c>video.truth.tsv</c> and <c>video.boxes.tsv</c>; returns the truth rows' passes.</summary>
    public IReadOnlyList<VehiclePass> Write(string videoPath)
    {
        var rows = _seen.OrderBy(kv => kv.Value[0].Frame).ThenBy(kv => kv.Key.Plate.Text, StringComparer.Ordinal).ToList();
        var truth = new StringBuilder().Append(TruthHeader).Append('\n');
        InterruptedPasses = 0;
        foreach ((VehiclePass pass, var frames) in rows)
        {
            int first = frames[0].Frame, last = frames[^1].Frame;
            if (last - first + 1 != frames.Count)
            {
                InterruptedPasses++;
            }

            PixelRect largest = frames.MaxBy(f => (long)f.Box.Width * f.Box.Height).Box;
            truth.Append(CultureInfo.InvariantCulture,
                $"{pass.Plate.Text}\t{first}\t{last}\t{largest.X}\t{largest.Y}\t{largest.Width}\t{largest.Height}\t{pass.Plate.Layout.Name()}\t{pass.Side.Name()}\t{pass.Lane}\t{ConditionNames.Format(pass.AllConditions)}\n");
        }

        var boxes = new StringBuilder().Append(BoxesHeader).Append('\n');
        foreach ((int frame, VehiclePass pass, PixelRect b) in _boxes.OrderBy(e => e.Frame).ThenBy(e => e.Box.X))
        {
            boxes.Append(CultureInfo.InvariantCulture, $"{frame}\t{pass.Plate.Text}\t{b.X}\t{b.Y}\t{b.Width}\t{b.Height}\n");
        }

        // "\n" line ends and no BOM whatever the platform, so the files diff cleanly in git.
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(videoPath));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(videoPath + ".truth.tsv", truth.ToString(), utf8);
        File.WriteAllText(videoPath + ".boxes.tsv", boxes.ToString(), utf8);
        return rows.Select(r => r.Key).ToList();
    }

    /// <summary>
    /// Up to <paramref name="count"/> frames that show exactly one whole plate, one per pass in the order the
    /// passes appear: the frame nearest the middle of the pass's visible span with no other plate in view.
    /// </summary>
    public IReadOnlyList<(int Frame, string Plate, PixelRect Box)> SinglePlateFrames(int count)
    {
        var platesInFrame = _boxes.GroupBy(b => b.Frame).ToDictionary(g => g.Key, g => g.Count());
        var stills = new List<(int, string, PixelRect)>();
        foreach ((VehiclePass pass, var frames) in _seen.OrderBy(kv => kv.Value[0].Frame))
        {
            if (stills.Count == count)
            {
                break;
            }

            int middle = (frames[0].Frame + frames[^1].Frame) / 2;
            var alone = frames.Where(f => platesInFrame[f.Frame] == 1).ToList();
            if (alone.Count > 0)
            {
                var (frame, box) = alone.MinBy(f => Math.Abs(f.Frame - middle));
                stills.Add((frame, pass.Plate.Text.Replace(" ", "", StringComparison.Ordinal), box));
            }
        }

        return stills;
    }

    /// <summary>Smallest and largest plate height (pixels, along its sides) over all visible frames.</summary>
    public (double Min, double Max) PlateHeightRange() => _boxes.Count == 0 ? (0, 0) : (_minPlateHeight, _maxPlateHeight);

    public int BoxCount => _boxes.Count;
}
