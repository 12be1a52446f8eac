using EdgeAgent.Core.Pipeline;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Tracking;
using EdgeAgent.Ocr;
using EdgeAgent.Ocr.Grammar;
using EdgeAgent.Settings;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Redaction;

namespace EdgeAgent.Hosting;

/// <summary>Builds the finder, reader and tracker of one camera from the settings and its profile.</summary>
public sealed class CameraPipelineFactory(AgentSettings settings, HardwareProfile profile)
{
    public HardwareProfile Profile => profile;

    /// <summary>Sees every frame's reads before the tracker (replay --truth --sweep); null in the agent.</summary>
    public IObservationTap? TrackerTap { get; set; }

    /// <summary>A pipeline and the native objects it owns (dispose them with it).</summary>
    public (FramePipeline Pipeline, IDisposable Resources) Create(string cameraId)
    {
        // Evidence: the tracker copies each vehicle's best frame region; redaction happens later, off this loop.
        FrameEvidenceCapture? evidence = settings.Evidence.Enabled
            ? new FrameEvidenceCapture(new TrackerOptions().MaxTracks, profile.Width, profile.Height,
                new EvidenceCaptureOptions { OverviewWidth = settings.Evidence.OverviewWidth, MaxSnapshots = settings.Evidence.QueueLength + 2 })
            : null;
        PlateReaderSet readers = CreateReaders(settings);
        var region = new FindRegion(profile.Roi.X, profile.Roi.Y, profile.Roi.Width, profile.Roi.Height,
            profile.PlateHeightPx.Min, profile.PlateHeightPx.Max);
        var tracking = new TrackerOptions
        {
            EndAfterMissedFrames = settings.Tracking.EndAfterMissedFrames,
            MinObservations = settings.Tracking.MinObservations,
            MinConfidence = (float)settings.Tracking.MinConfidence,
            ReadSettledEvery = settings.Tracking.ReadSettledEvery,
            Tap = TrackerTap,
        };
        // The gate learns this camera's background: one per pipeline, owned with the readers.
        OpenCvMotionGate? gate = settings.Finder.MotionGate ? new OpenCvMotionGate() : null;
        FinderGating? gating = gate is null ? null : new FinderGating(gate, settings.Finder.FullSearchEveryFrames);
        var pipeline = new FramePipeline(readers.Finder, readers.Reader, region, cameraId, tracking, evidence: evidence, gating: gating);
        return (pipeline, gate is null ? readers : new Resources(readers, gate));
    }

    /// <summary>The finder and reader the settings choose (Ocr:Engine, Ocr:Model, Ocr:Grammar): the live loop's and eval's.</summary>
    public static PlateReaderSet CreateReaders(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return PlateReaderSet.Create(ParseGrammar(settings.Ocr.Grammar), settings.Ocr.TessDataPath,
            settings.Ocr.Engine == "classifier" ? AgentPaths.CharacterModelFor(settings.Ocr.Model) : null);
    }

    private sealed class Resources(IDisposable readers, IDisposable gate) : IDisposable
    {
        public void Dispose()
        {
            gate.Dispose();
            readers.Dispose();
        }
    }

    public static GrammarScope ParseGrammar(string value) => value switch
    {
        "gb" => GrammarScope.GreatBritain,
        "eu" => GrammarScope.Europe,
        "us" => GrammarScope.UnitedStates,
        _ => GrammarScope.Auto,
    };
}
