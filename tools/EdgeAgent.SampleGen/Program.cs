using System.Diagnostics;
using System.Globalization;
using EdgeAgent.SampleGen;
using EdgeAgent.SampleGen.Output;
using EdgeAgent.SampleGen.Plates;
using EdgeAgent.SampleGen.Rendering;
using EdgeAgent.SampleGen.Scene;

GeneratorOptions options;
try
{
    options = GeneratorOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{GeneratorOptions.Usage}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(GeneratorOptions.Usage);
    return 0;
}

try
{
    Run(options);
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static void Run(GeneratorOptions o)
{
    var clock = Stopwatch.StartNew();
    var camera = new RoadsideCamera(o.Width, o.Height);
    TrafficPlan plan = TrafficPlanner.Create(o, camera);
    var truth = new GroundTruth(camera, plan);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{plan.Passes.Count} passes, {plan.FrameCount} frames ({plan.FrameCount / (double)o.Fps:F1} s), seed {o.Seed}{(o.Hard ? ", hard" : "")}"));

    if (o.TruthOnly)
    {
        for (int i = 0; i < plan.FrameCount; i++)
        {
            truth.Observe(i);
        }
    }
    else
    {
        var ffmpeg = new Ffmpeg(o.Ffmpeg);
        GlyphAtlas atlas = GlyphAtlas.Render(ffmpeg, o.Font);
        (Bgr24Frame day, Bgr24Frame night) = RoadBackground.Render(camera, o.Seed);
        var composer = new FrameComposer(camera, plan, atlas, day, night, o.Seed);
        using VideoWriter video = VideoWriter.Start(ffmpeg, o.Out, o.Width, o.Height, o.Fps, o.EffectiveCrf, o.EffectivePreset);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  glyphs and road ready in {clock.Elapsed.TotalSeconds:F1} s"));
        var composing = new Stopwatch();
        using (var pipeline = new FramePipeline(video, o.Width, o.Height))
        {
            for (int i = 0; i < plan.FrameCount; i++)
            {
                Bgr24Frame frame = pipeline.Rent();
                composing.Start();
                composer.Compose(i, frame);
                truth.Observe(i);
                composing.Stop();
                pipeline.Submit(frame);
                if (i % 500 == 499)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  frame {i + 1}/{plan.FrameCount}, {(i + 1) / clock.Elapsed.TotalSeconds:F1} fps"));
                }
            }

            pipeline.Complete();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  composing {composing.Elapsed.TotalSeconds:F1} s, waiting on the encoder {pipeline.EncoderWait.TotalSeconds:F1} s"));
        }

        video.Finish();
    }

    IReadOnlyList<VehiclePass> rows = truth.Write(o.Out);
    (double minH, double maxH) = truth.PlateHeightRange();
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"wrote {(o.TruthOnly ? "" : o.Out + ", ")}{o.Out}.truth.tsv ({rows.Count} rows), {o.Out}.boxes.tsv ({truth.BoxCount} boxes); plate height {minH:F0}-{maxH:F0} px; {clock.Elapsed.TotalSeconds:F1} s"));
    if (o.Stills > 0)
    {
        var stills = truth.SinglePlateFrames(o.Stills);
        string index = Stills.Write(new Ffmpeg(o.Ffmpeg), o.Out, stills);
        Console.Error.WriteLine($"wrote {stills.Count} stills and {index}" + (stills.Count < o.Stills ? $" (only {stills.Count} passes have a frame with one plate alone)" : ""));
    }

    if (rows.Count != plan.Passes.Count)
    {
        Console.Error.WriteLine($"warning: {plan.Passes.Count - rows.Count} passes never showed a whole plate");
    }

    if (truth.InterruptedPasses > 0)
    {
        Console.Error.WriteLine($"warning: {truth.InterruptedPasses} passes have frames inside first..last where the plate is hidden; see the boxes file");
    }
}
