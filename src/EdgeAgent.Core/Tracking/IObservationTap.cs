using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Tracking;

/// <summary>
/// Sees every frame's reads as the tracker gets them (replay --truth --sweep keeps them in memory to re-run
/// the tracker with other settings). Called on the frame loop's thread; nothing it is given may be logged or stored.
/// </summary>
public interface IObservationTap
{
    void Observed(long frame, DateTimeOffset time, ReadOnlySpan<PlateCandidate> boxes, ReadOnlySpan<PlateText> texts);
}
