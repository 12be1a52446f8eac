using System.Globalization;

using EdgeAgent.Core.Plates;
using EdgeAgent.Evaluation.Passes;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Evaluation.Tests;

public class PassScorerTests
{
    private static string TruthFile => Path.Combine(RepoPaths.Samples, "uk-traffic.mp4.truth.tsv");

    // The box of each pass in its first visible frame, from the sample's per-frame truth.
    private static Dictionary<string, (long Frame, BoxI Box)> FirstBoxes()
    {
        var first = new Dictionary<string, (long, BoxI)>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path.Combine(RepoPaths.Samples, "uk-traffic.mp4.boxes.tsv")).Skip(1))
        {
            string[] f = line.Split('\t');
            int[] n = f.Skip(2).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            first.TryAdd(f[1], (long.Parse(f[0], CultureInfo.InvariantCulture), new BoxI(n[0], n[1], n[2], n[3])));
        }
        return first;
    }

    [Fact]
    public void Load_BundledSampleTruth_HasEveryPassAndItsBoxes()
    {
        PassTruth truth = PassTruth.Load(TruthFile);
        Assert.Equal(28, truth.Passes.Count);
        Assert.True(truth.HasBoxes);
        TruthPass p = truth.Passes[0];
        Assert.Equal(["clean"], p.Conditions);
        var (frame, box) = FirstBoxes()[p.Plate];
        Assert.Equal(0, truth.PassAt(frame, box));
        Assert.Equal(-1, truth.PassAt(frame, new BoxI(0, 0, 10, 10)));
    }

    [Fact]
    public void Score_CountsFoundExactPhantomsAndDuplicates()
    {
        PassTruth truth = PassTruth.Load(TruthFile);
        var boxes = FirstBoxes();
        var scorer = new PassScorer(truth);
        for (int i = 0; i < truth.Passes.Count; i++)
        {
            TruthPass t = truth.Passes[i];
            if (i == 0) continue;                                   // missed
            var (frame, box) = boxes[t.Plate];
            string text = i == 1 ? t.Plate[..^1] + (t.Plate[^1] == 'X' ? 'Y' : 'X') : t.Plate;   // one wrong character
            scorer.Add(new ObservedPass(text, t.FirstFrame, t.LastFrame, frame, box, 0.95f));
            if (i == 2) scorer.Add(new ObservedPass("ZZ99ZZZ", t.FirstFrame, t.LastFrame, frame, box, 0.4f));   // split track: a duplicate
        }
        scorer.Add(new ObservedPass("AB12CDE", 5, 9, 7, new BoxI(10, 10, 100, 20), 0.35f));   // no vehicle there: a phantom
        PassReport report = scorer.Score();

        Assert.Equal(28, report.Passes);
        Assert.Equal(27, report.Found);
        Assert.Equal(26, report.Exact);          // the duplicate's better read counts, the wrong one does not
        Assert.Equal(1, report.Phantoms);
        Assert.Equal(1, report.Duplicates);
        Assert.Equal(29, report.Emitted);
        Assert.Equal(1.0 / 29, report.PhantomShare, 6);
        Assert.Equal(1, report.Confusions.Substitutions);   // the wrong character
        Assert.Equal(7, report.Confusions.Missed);          // the missed vehicle's whole plate
        Assert.StartsWith("passes=28 found=0.964 exact=0.929 phantoms=1", report.SummaryLine, StringComparison.Ordinal);
        Assert.Contains(report.ByCondition, g => g.Group == "clean" && g.Passes == 28 && g.Exact == 26);
        CalibrationBin top = report.Calibration.Single(b => b.Low == 0.95f);
        Assert.Equal(27, top.Passes);
        Assert.Equal(26, top.Exact);
        Assert.Equal(1, report.Calibration.Single(b => b.Low == 0f).Passes);   // the phantom, at 0.35

        // The misses are listed by vehicle, frames and wrong characters, never by registration.
        TruthPass missed = truth.Passes[0], wrong = truth.Passes[1];
        Assert.StartsWith($"vehicle 1 frames {missed.FirstFrame}-{missed.LastFrame} at ", report.Outcomes[0].DescribeMiss(0), StringComparison.Ordinal);
        Assert.EndsWith(": not emitted", report.Outcomes[0].DescribeMiss(0), StringComparison.Ordinal);
        string line = report.Outcomes[1].DescribeMiss(1);
        Assert.EndsWith($"read at confidence 0.95 with {wrong.Plate[^1]}>{(wrong.Plate[^1] == 'X' ? 'Y' : 'X')} x1", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong.Plate, line, StringComparison.Ordinal);
        string duplicate = report.Outcomes[2].DescribeDuplicate(2);
        Assert.Contains("emitted 2 times: ", duplicate, StringComparison.Ordinal);
        Assert.Contains("at confidence 0.95, exact; ", duplicate, StringComparison.Ordinal);
        Assert.EndsWith("at confidence 0.40, not exact", duplicate, StringComparison.Ordinal);
        Assert.DoesNotContain(truth.Passes[2].Plate, duplicate, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_BestFrameBeforeThePlateIsWhollyInView_PlacedByFramesAndText()
    {
        // The truth boxes a plate only while it is wholly in view; a pass whose best frame shows it entering
        // belongs to the vehicle its frames overlap when it reads that vehicle's plate, and is a phantom when not.
        PassTruth truth = PassTruth.Load(TruthFile);
        TruthPass t = truth.Passes[4];
        long entering = t.FirstFrame - 3;
        var scorer = new PassScorer(truth);
        scorer.Add(new ObservedPass(t.Plate, entering - 10, t.LastFrame, entering, new BoxI(0, 300, 150, 50), 0.8f, 15, true));
        scorer.Add(new ObservedPass("QQ99QQQ", entering - 10, t.LastFrame, entering, new BoxI(0, 300, 150, 50), 0.8f, 15, true));
        PassReport report = scorer.Score();

        Assert.True(report.Outcomes[4].Exact);
        Assert.Equal(1, report.Phantoms);
        PhantomDetail phantom = Assert.Single(report.PhantomDetails);
        Assert.Equal(4, phantom.NearestPass);
        Assert.Equal(0, phantom.FramesAway);
        Assert.Equal(15, phantom.Observations);
    }

    [Fact]
    public void Load_MissingOrForeignFile_SaysWhatIsExpected()
    {
        using var dir = new TempDirectory();
        Assert.Contains("SampleGen", Assert.Throws<FileNotFoundException>(() => PassTruth.Load(dir.File("x.truth.tsv"))).Message, StringComparison.Ordinal);
        File.WriteAllText(dir.File("y.truth.tsv"), "frame\tplate\n1\tAB\n");
        Assert.Contains("no 'plate_text' column", Assert.Throws<InvalidDataException>(() => PassTruth.Load(dir.File("y.truth.tsv"))).Message,
            StringComparison.Ordinal);
    }
}
