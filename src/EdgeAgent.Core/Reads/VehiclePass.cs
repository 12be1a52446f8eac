using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Reads;

/// <summary>
/// One vehicle passing the camera: the best-of-N read of its plate. This is the only object that holds
/// the raw registration as a string, and it lives only until the pseudonymiser has hashed it.
/// </summary>
public sealed class VehiclePass
{
    public required string Text { get; init; }
    public required CountryCode Country { get; init; }
    public required PlateLayout Layout { get; init; }
    /// <summary>False when the voted text fits no known plate pattern (kept raw, flagged).</summary>
    public required bool MatchesGrammar { get; init; }
    /// <summary>0..1, from the agreement of the frames and their character confidences.</summary>
    public required float Confidence { get; init; }
    /// <summary>Frames that contributed a read.</summary>
    public required int Observations { get; init; }
    public required long FirstFrame { get; init; }
    public required long LastFrame { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>The frame and box of the best single read (for evidence and lane assignment).</summary>
    public required long BestFrame { get; init; }
    public required PlateCandidate BestBox { get; init; }
    /// <summary>The camera this pass came from (several cameras share one agent).</summary>
    public string CameraId { get; init; } = "";

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp at which the processing of the frame that completed
    /// the pass began (set by the frame pipeline), so the recorder can measure frame-to-outbox latency. 0 when unknown.
    /// </summary>
    public long CompletedByFrameAt { get; set; }

    /// <summary>
    /// The best frame's plate crop and overview, unredacted, when evidence is captured (attached by the
    /// tracker as the pass is emitted). Whoever takes the pass disposes it.
    /// </summary>
    public EvidenceSnapshot? Evidence { get; set; }
}

/// <summary>Receives passes as the tracker ends them. Called on the frame loop's thread: keep it quick.</summary>
public interface IPassSink
{
    void OnPass(VehiclePass pass);
}
