using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;

using static EdgeAgent.Core.Tests.TrackerTests;

namespace EdgeAgent.Core.Tests;

public class EvidenceHookTests
{
    /// <summary>Records what the tracker asks of the port and hands back a snapshot of the last capture per slot.</summary>
    private sealed class RecordingCapture : IEvidenceCapture
    {
        public List<(int Slot, long Frame, float Score)> Captures { get; } = [];
        private readonly Dictionary<int, long> _last = [];

        public void Capture(int slot, Frame frame, in PlateCandidate box)
        {
            Captures.Add((slot, frame.Index, box.Score));
            _last[slot] = frame.Index;
        }

        public EvidenceSnapshot? Take(int slot, long bestFrame)
        {
            if (!_last.TryGetValue(slot, out long captured) || captured != bestFrame) return null;
            _last.Remove(slot);
            var image = new EvidenceImage(System.Buffers.ArrayPool<byte>.Shared.Rent(3), 1, 1, 0, 0, 1);
            var overview = new EvidenceImage(System.Buffers.ArrayPool<byte>.Shared.Rent(3), 1, 1, 0, 0, 1);
            return new EvidenceSnapshot(image, overview, bestFrame, DateTimeOffset.UnixEpoch, default);
        }
    }

    private sealed class Passes : IPassSink
    {
        public List<VehiclePass> All { get; } = [];
        public void OnPass(VehiclePass pass) => All.Add(pass);
    }

    [Fact]
    public void Observe_BestReadImproves_CapturesThatFrameOnlyAndAttachesItToThePass()
    {
        var capture = new RecordingCapture();
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 2, MinObservations = 3 }) { Evidence = capture };
        var sink = new Passes();
        var frame = new Frame(16, 16);
        // Confidence rises to frame 3, then falls: frames 0-3 improve the best read, 4-7 do not.
        float[] confidence = [0.5f, 0.6f, 0.7f, 0.95f, 0.8f, 0.7f, 0.6f, 0.5f];
        for (int f = 0; f < confidence.Length; f++)
        {
            frame.Index = f;
            tracker.Observe(frame, [Box(300 + f * 10, 400)], [Text("AB12CDE", confidence[f])], sink);
        }
        for (int f = 8; f < 12; f++)
        {
            frame.Index = f;
            tracker.Observe(frame, [], [], sink);
        }

        Assert.Equal([0L, 1, 2, 3], capture.Captures.Select(c => c.Frame));
        VehiclePass pass = Assert.Single(sink.All);
        Assert.Equal(3, pass.BestFrame);
        Assert.NotNull(pass.Evidence);
        Assert.Equal(3, pass.Evidence.FrameIndex);
        pass.Evidence.Dispose();
    }

    [Fact]
    public void Observe_WithoutTheFrame_CapturesNothingAndThePassHasNoEvidence()
    {
        var capture = new RecordingCapture();
        var tracker = new PlateTracker(new TrackerOptions { EndAfterMissedFrames = 2, MinObservations = 3 }) { Evidence = capture };
        var sink = new Passes();
        for (int f = 0; f < 10; f++)
            tracker.Observe(f, DateTimeOffset.UnixEpoch, f < 6 ? [Box(300 + f * 10, 400)] : [], f < 6 ? [Text("AB12CDE")] : [], sink);
        Assert.Empty(capture.Captures);
        Assert.Null(Assert.Single(sink.All).Evidence);
    }
}
