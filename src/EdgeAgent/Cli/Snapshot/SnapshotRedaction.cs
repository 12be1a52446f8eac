using System.Globalization;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Vision.Redaction;

namespace EdgeAgent.Cli.Snapshot;

/// <summary>
/// The redaction a snapshot goes through before it is written: the same redactor, cascades and privacy
/// masks as every image the agent keeps (faces and people detected on the full frame, the profile's
/// masks filled solid). A failure throws: the frame is then never written.
/// </summary>
internal static class SnapshotRedaction
{
    /// <summary>Redacts the frame in place; returns what was filled, for the summary and the audit log.</summary>
    public static RedactionResult Apply(Frame frame, HardwareProfile profile, string cascadeFolder, BoxI? plate)
    {
        using var redactor = new Redactor(new RedactorOptions { CascadeFolder = cascadeFolder });
        var masks = new PrivacyMasks(profile.PrivacyMasks.Select(m => m.Points).ToArray());
        // A plate the snapshot shows must stay visible for the engineer: detections never fill the best one.
        return redactor.Redact(frame.Bgr, frame.Width, frame.Height, frame.BgrStride, 0, 0, 1, masks, detect: true, plate ?? default);
    }

    public static string Describe(RedactionResult r) => string.Create(CultureInfo.InvariantCulture,
        $"redacted {r.Faces} faces, {r.People} people and {r.Masks} privacy masks ({r.PixelsFilled} pixels filled)");

    /// <summary>The profile's privacy masks as polygons in frame pixels, with their names.</summary>
    public static IEnumerable<(string Name, IReadOnlyList<(int X, int Y)> Points)> Masks(HardwareProfile profile) =>
        profile.PrivacyMasks.Select(m => (m.Name, (IReadOnlyList<(int, int)>)m.Points.Select(p => ((int)MathF.Round(p.X), (int)MathF.Round(p.Y))).ToArray()));
}
