using System.Diagnostics;
using System.Globalization;

using EdgeAgent.CharTrainer;
using EdgeAgent.Evaluation.Photos;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

TrainerOptions options;
try
{
    options = TrainerOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{TrainerOptions.Usage}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(TrainerOptions.Usage);
    return 0;
}

try
{
    Run(options);
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or IOException or VisionException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static void Run(TrainerOptions o)
{
    var clock = Stopwatch.StartNew();
    void Say(string message) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:F1} s] {message}"));

    var fonts = o.Fonts.Select(f => GlyphSet.Render(o.Ffmpeg, f)).ToList();
    Say($"glyphs of {fonts.Count} fonts rendered ({string.Join(", ", fonts.Select(f => f.Font))})");
    var plateFonts = o.UsShare > 0 ? o.PlateFonts.Select(f => GlyphSet.Render(o.Ffmpeg, f)).ToList() : [];
    if (plateFonts.Count > 0) Say($"glyphs of {plateFonts.Count} US plate fonts rendered ({string.Join(", ", plateFonts.Select(f => f.Font))})");

    if (o.Preview is not null)
    {
        WritePreview(o.Preview, new SyntheticPlates(fonts, plateFonts, o.UsShare, o.Seed), Say);
        return;
    }

    IReadOnlyList<LabelledPhoto> training = [];
    string root = "";
    if (o.Dev is not null)
    {
        IReadOnlyList<LabelledPhoto> all = PhotoIndex.Load(o.Dev);
        root = o.DevRoot ?? Path.GetDirectoryName(Path.GetFullPath(o.Dev))!;
        training = all.Where(p => o.Folds <= 1 || DevPhotos.FoldOf(p.File, o.Folds) != o.Holdout).ToList();
        if (o.HoldoutIndex is not null) WriteHoldout(o.Dev, all, o, training.Count);
        Say($"{training.Count} of {all.Count} labelled photos for training" + (o.Folds > 1 ? $" (fold {o.Holdout} of {o.Folds} held out)" : ""));
    }

    // Round 1, no model yet: only cuts with exactly as many boxes as the label align (one to one).
    string bootstrap = Path.Combine(Path.GetTempPath(), $"edgeagent-chars-bootstrap-{Environment.ProcessId}.yml.gz");
    try
    {
        SampleSet first = Collect(o, fonts, plateFonts, training, root, model: null, plates: o.Plates / 2, Say);
        if (o.Dump is not null) first.Dump($"{o.Dump}-1", o.Seed);
        TrainModel(first, o.Hidden, Math.Max(3, o.Iterations / 2), o.Seed, bootstrap, Say);
        // Round 2: the bootstrap model aligns cuts with extra boxes and turns the leftovers into "not a character".
        SampleSet second = Collect(o, fonts, plateFonts, training, root, model: bootstrap, plates: o.Plates, Say);
        if (o.Dump is not null) second.Dump($"{o.Dump}-2", o.Seed);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(o.Out));
        if (folder is not null) Directory.CreateDirectory(folder);
        TrainModel(second, o.Hidden, o.Iterations, o.Seed, o.Out, Say);
        Say($"wrote {o.Out} ({new FileInfo(o.Out).Length / 1024} KiB)");
        TrainNetwork(second, o.Seed, PlateCharReader.NetworkPathOf(o.Out), Say);
    }
    finally
    {
        File.Delete(bootstrap);
    }
}

static SampleSet Collect(TrainerOptions o, List<GlyphSet> fonts, List<GlyphSet> plateFonts, IReadOnlyList<LabelledPhoto> photos, string root, string? model,
    int plates, Action<string> say)
{
    using var sampler = new CharTraining(model);
    var set = new SampleSet();
    var synthetic = new SyntheticPlates(fonts, plateFonts, o.UsShare, o.Seed);
    var samples = new CharSample[512];
    int aligned = 0;
    for (int i = 0; i < plates; i++)
    {
        SyntheticPlate plate = synthetic.Next();
        set.Group = i;
        int n = sampler.Samples(new EdgeAgent.Core.Frames.GrayImage(plate.Gray, plate.Width, plate.Height, plate.Width), plate.Box, samples);
        if (Aligner.AlignByPosition(samples.AsSpan(0, n), plate.Text, plate.CharCentres, plate.CharHeight, plate.Inverted, maxCuts: 2, set).AcceptedCuts > 0) aligned++;
    }
    say($"synthetic: {aligned} of {plates} plates aligned, {set.Count} samples ({set.NoiseCount} not characters)");
    if (photos.Count > 0)
    {
        var dev = new SampleSet();
        var (used, platesAligned, characters, noise) = DevPhotos.Collect(photos, root, sampler, model is not null, o.Augment, o.Seed + 1, dev);
        say($"photos: {platesAligned} of {used} plates aligned, {characters} characters and {noise} not characters");
        set.AddRange(dev);
    }
    return set;
}

static void TrainModel(SampleSet set, int hidden, int iterations, int seed, string path, Action<string> say)
{
    var (features, labels) = set.Shuffled(seed);
    say($"training on {set.Count} samples ({hidden} hidden units, {iterations} passes)");
    double accuracy = CharTraining.Train(features, labels, hidden, iterations, (ulong)seed, path);
    string counts = string.Join(" ", Enumerable.Range(0, CharRead.Classes).Select(c => $"{CharRead.ClassChar(c)}:{set.PerClass[c]}"));
    say(string.Create(CultureInfo.InvariantCulture, $"held-back tenth: {accuracy:P1} correct; per class {counts}"));
}

// The convolutional network beside the MLP (the reader averages the two), trained on the same samples by
// train_net.py (PyTorch), which writes it as ONNX for OpenCV's dnn module.
static void TrainNetwork(SampleSet set, int seed, string path, Action<string> say)
{
    string prefix = Path.Combine(Path.GetTempPath(), $"edgeagent-chars-{Environment.ProcessId}");
    string script = Path.Combine(AppContext.BaseDirectory, "train_net.py");
    try
    {
        set.Dump(prefix, seed);
        say($"training the convolutional network on the same {set.Count} samples ({script})");
        var start = new ProcessStartInfo("/usr/bin/python3");
        foreach (string arg in new[] { script, prefix, path, "--seed", seed.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        using Process python = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        python.WaitForExit();
        if (python.ExitCode != 0)
            throw new InvalidOperationException($"train_net.py failed (exit {python.ExitCode}); it needs PyTorch: apt-get install python3-torch python3-numpy");
        say($"wrote {path} ({new FileInfo(path).Length / 1024} KiB)");
    }
    finally
    {
        File.Delete(prefix + ".f32");
        File.Delete(prefix + ".i32");
    }
}

// The first rendered plates as PGM files, to look at what the network learns from.
static void WritePreview(string folder, SyntheticPlates synthetic, Action<string> say)
{
    Directory.CreateDirectory(folder);
    for (int i = 0; i < 40; i++)
    {
        SyntheticPlate p = synthetic.Next();
        using var file = File.Create(Path.Combine(folder, $"plate-{i:D2}.pgm"));
        file.Write(System.Text.Encoding.ASCII.GetBytes($"P5\n{p.Width} {p.Height}\n255\n"));
        file.Write(p.Gray);
    }
    say($"wrote 40 rendered plates to {folder}");
}

static void WriteHoldout(string index, IReadOnlyList<LabelledPhoto> all, TrainerOptions o, int trainingCount)
{
    string[] lines = File.ReadAllLines(index);
    var keep = new HashSet<int>(all.Where(p => DevPhotos.FoldOf(p.File, o.Folds) == o.Holdout).Select(p => p.Line));
    using var writer = new StreamWriter(o.HoldoutIndex!);
    writer.WriteLine(lines[0]);
    for (int i = 1; i < lines.Length; i++)
        if (keep.Contains(i + 1)) writer.WriteLine(lines[i]);
    Console.Error.WriteLine($"held-out photos ({all.Count - trainingCount}) listed in {o.HoldoutIndex}; evaluate with --root {Path.GetDirectoryName(Path.GetFullPath(index))}");
}
