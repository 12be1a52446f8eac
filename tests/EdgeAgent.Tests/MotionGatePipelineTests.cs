using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Pipeline;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision;

namespace EdgeAgent.Tests;

/// <summary>
/// The motion gate in the agent's own pipeline (as <see cref="CameraPipelineFactory"/> builds it for `run`)
/// on real decoded frames of the bundled sample: it must find what the full search finds, for less.
/// </summary>
public class MotionGatePipelineTests
{
    private sealed class PassList : IPassSink
    {
        public List<string> Texts { get; } = [];
        public void OnPass(VehiclePass pass) => Texts.Add(pass.Text);
    }

    private static (FramePipeline Pipeline, IDisposable Resources) Create(bool gate, int fullSearchEvery)
    {
        var settings = new AgentSettings();
        settings.Evidence.Enabled = false;
        settings.Finder.MotionGate = gate;
        settings.Finder.FullSearchEveryFrames = fullSearchEvery;
        HardwareProfile profile = HardwareProfileLoader.Load(settings.Camera.Profile, RepoPaths.HardwareProfiles);
        return new CameraPipelineFactory(settings, profile).Create("cam-test");
    }

    // Frames 0-239 hold three vehicle passes (frames 26-50, 95-117 and 175-209) and the empty road between.
    private static (List<string> Passes, PipelineCounters Counters) Play(bool gate, int frames)
    {
        var (pipeline, resources) = Create(gate, fullSearchEvery: 25);
        using (resources)
        {
            var sink = new PassList();
            using VideoFrameSource source = VideoFrameSource.Open(Path.Combine(RepoPaths.Samples, "uk-traffic.mp4"));
            var frame = new Frame(source.Info.Width, source.Info.Height);
            for (long i = 0; i < frames && source.Read(frame) == FrameReadResult.Frame; i++)
            {
                frame.Index = i;
                pipeline.Process(frame, sink);
            }
            pipeline.Flush(sink);
            return (sink.Texts, pipeline.Counters);
        }
    }

    [Fact]
    public void Process_FirstPassesOfTheSample_GateFindsTheSamePassesAsTheFullSearchInUnderHalfTheArea()
    {
        var (full, fullCounters) = Play(gate: false, frames: 240);
        var (gated, gatedCounters) = Play(gate: true, frames: 240);

        Assert.True(full.Count >= 3, $"the full search read {full.Count} passes in the first 240 frames: expected the sample's 3");
        Assert.Equal(full, gated);
        Assert.Equal(fullCounters.RegionArea, fullCounters.SearchedArea);
        Assert.True(gatedCounters.SearchedArea < gatedCounters.RegionArea / 2,
            $"the gate searched {100.0 * gatedCounters.SearchedArea / gatedCounters.RegionArea:0.0} % of the region");
    }

    [Fact]
    public void Process_StillPicture_SearchesTheWholeRegionEveryKFramesAndNothingBetween()
    {
        var (pipeline, resources) = Create(gate: true, fullSearchEvery: 5);
        using (resources)
        {
            using VideoFrameSource source = VideoFrameSource.Open(Path.Combine(RepoPaths.Samples, "uk-traffic.mp4"));
            var frame = new Frame(source.Info.Width, source.Info.Height);
            Assert.Equal(FrameReadResult.Frame, source.Read(frame));
            var sink = new PassList();
            for (long i = 0; i <= 21; i++)
            {
                frame.Index = i;
                pipeline.Process(frame, sink);
            }
            // The first two frames (nothing to compare with yet), then every fifth: 6, 11, 16 and 21.
            Assert.Equal(6, pipeline.Counters.FullSearches);
            Assert.Equal(6 * (pipeline.Counters.RegionArea / 22), pipeline.Counters.SearchedArea);
        }
    }
}
