namespace EdgeAgent.SampleGen.Scene;

/// <summary>The hard effects a pass can meet; the truth file lists them by <see cref="ConditionNames"/>.</summary>
[Flags]
internal enum Conditions
{
    None = 0,

    /// <summary>The vehicle is angled to the lane and the plate tilted: perspective and skew.</summary>
    Skew = 1 << 0,

    /// <summary>A long exposure: everything moving smears along its path.</summary>
    MotionBlur = 1 << 1,

    /// <summary>Night in IR mode: grey, dark road, bright retroreflective plate, headlamp bloom, noise.</summary>
    NightIr = 1 << 2,

    /// <summary>Grime, blotches and spatter on the plate.</summary>
    Dirt = 1 << 3,

    /// <summary>A small object in front of part of one character.</summary>
    Occlusion = 1 << 4,

    /// <summary>Another vehicle in the other lane at the same time.</summary>
    TwoLane = 1 << 5,

    /// <summary>Uneven light across the plate and a specular hotspot.</summary>
    Glare = 1 << 6,

    /// <summary>Blocking and ringing of a heavily compressed stream around the plate.</summary>
    JpegNoise = 1 << 7,
}

internal static class ConditionNames
{
    private static readonly (Conditions Flag, string Name)[] Names =
    [
        (Conditions.Skew, "skew"), (Conditions.MotionBlur, "motion-blur"), (Conditions.NightIr, "night-ir"),
        (Conditions.Dirt, "dirt"), (Conditions.Occlusion, "occlusion"), (Conditions.TwoLane, "two-lane"),
        (Conditions.Glare, "glare"), (Conditions.JpegNoise, "jpeg-noise"),
    ];

    /// <summary>Comma list in a fixed order, or "clean".</summary>
    public static string Format(Conditions c)
    {
        var parts = new List<string>();
        foreach ((Conditions flag, string name) in Names)
        {
            if ((c & flag) != 0)
            {
                parts.Add(name);
            }
        }

        return parts.Count == 0 ? "clean" : string.Join(',', parts);
    }
}
