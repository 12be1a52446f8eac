using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Ports;

/// <summary>
/// Keeps, per tracker slot, a copy of the frame region of the slot's best read so far. The tracker calls
/// <see cref="Capture"/> on the frame loop when a track's best read improves (it must not allocate) and
/// <see cref="Take"/> when the pass is emitted (allocation is allowed then: a pass is born).
/// </summary>
public interface IEvidenceCapture
{
    void Capture(int slot, Frame frame, in PlateCandidate box);

    /// <summary>The snapshot of the slot's capture when it is of <paramref name="bestFrame"/>, else null.</summary>
    EvidenceSnapshot? Take(int slot, long bestFrame);
}
