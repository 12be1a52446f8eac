using BenchmarkDotNet.Attributes;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Ocr;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Ocr.Tesseract;
using EdgeAgent.Vision;

namespace EdgeAgent.Benchmarks;

/// <summary>Finding plates in a 1080p frame, in the profile's region and plate-height range.</summary>
[MemoryDiagnoser]
public class FinderBenchmarks
{
    private readonly PlateCandidate[] _candidates = new PlateCandidate[8];
    private OpenCvPlateFinder _finder = null!;
    private Frame _plate = null!;
    private Frame _empty = null!;
    private FindRegion _region;

    [GlobalSetup]
    public void Setup()
    {
        _finder = new OpenCvPlateFinder();
        _plate = SampleFrames.Decode(SampleFrames.WithPlate);
        _empty = SampleFrames.Decode(SampleFrames.EmptyRoad);
        _region = SampleFrames.Region;
    }

    [GlobalCleanup]
    public void Cleanup() => _finder.Dispose();

    [Benchmark(Baseline = true)]
    public int FindInFrameWithPlate() => _finder.Find(_plate.GrayImage, _region, _candidates);

    [Benchmark]
    public int FindInEmptyRoad() => _finder.Find(_empty.GrayImage, _region, _candidates);
}

/// <summary>
/// Reading the best candidate of a frame with a plate (preparation, recognition, grammar), with each reader the
/// agent can run: the plate-trained character classifier (the default) and Tesseract (Ocr:Engine=tesseract).
/// </summary>
[MemoryDiagnoser]
public class OcrBenchmarks
{
    private PlateReaderSet _readers = null!;
    private Frame _frame = null!;
    private PlateCandidate _candidate;
    private PlateText _text;

    [Params("classifier", "tesseract")]
    public string Engine { get; set; } = "classifier";

    [GlobalSetup]
    public void Setup()
    {
        _frame = SampleFrames.Decode(SampleFrames.WithPlate);
        // Built as the agent builds its own (CameraPipelineFactory): a model path for the classifier, none for Tesseract.
        _readers = PlateReaderSet.Create(GrammarScope.Auto, TesseractLibrary.DefaultDataPath,
            Engine == "classifier" ? Hosting.AgentPaths.CharacterModel : null);
        var candidates = new PlateCandidate[8];
        if (_readers.Finder.Find(_frame.GrayImage, SampleFrames.Region, candidates) == 0)
            throw new InvalidOperationException($"no plate found in frame {SampleFrames.WithPlate} of the sample");
        _candidate = candidates[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _readers.Dispose();

    [Benchmark]
    public bool ReadCandidate()
    {
        PlateCandidate candidate = _candidate;  // the reader may move a box it read: every call reads the finder's
        return _readers.Reader.TryRead(_frame.GrayImage, ref candidate, ref _text);
    }
}
