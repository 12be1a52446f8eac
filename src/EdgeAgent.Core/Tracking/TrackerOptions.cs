namespace EdgeAgent.Core.Tracking;

public sealed record TrackerOptions
{
    /// <summary>Vehicles followed at once; more at the same time than this are ignored until a slot frees.</summary>
    public int MaxTracks { get; init; } = 16;

    /// <summary>A pass ends after this many consecutive frames without its plate.</summary>
    public int EndAfterMissedFrames { get; init; } = 6;

    /// <summary>Passes with fewer reads than this are dropped as phantoms (a sign, a glint).</summary>
    public int MinObservations { get; init; } = 3;

    /// <summary>Passes whose voted confidence is below this are dropped as phantoms (noise read as text).</summary>
    public float MinConfidence { get; init; } = 0.3f;

    /// <summary>Reads kept per track for the vote; past this the weakest is replaced.</summary>
    public int MaxObservationsPerTrack { get; init; } = 48;

    /// <summary>A read links to a track when its box is within this many plate heights of the prediction.</summary>
    public float MaxJumpPlateHeights { get; init; } = 2.5f;

    /// <summary>
    /// A plate whose last <see cref="SettleAfterReads"/> reads gave the same text, fitting a format and each at
    /// least <see cref="SettledConfidence"/> sure, is read only every this many frames; in the frames between,
    /// the finder's box where it is predicted follows it without a read. 1 reads every frame.
    /// </summary>
    public int ReadSettledEvery { get; init; } = 2;

    /// <summary>Agreeing reads in a row after which a plate counts as settled (see <see cref="ReadSettledEvery"/>).</summary>
    public int SettleAfterReads { get; init; } = 3;

    /// <summary>The mean character confidence each of those reads must have.</summary>
    public float SettledConfidence { get; init; } = 0.8f;

    /// <summary>Sees each frame's reads before the tracker does (evaluation only; null in the agent).</summary>
    public IObservationTap? Tap { get; init; }
}
