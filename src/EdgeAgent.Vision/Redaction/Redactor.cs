using System.Runtime.InteropServices;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Redaction;

/// <summary>Which detectors the redactor runs; the cascades are opencv-data's.</summary>
public sealed record RedactorOptions
{
    public const string DebianCascades = "/usr/share/opencv4/haarcascades";

    public string CascadeFolder { get; init; } = DebianCascades;
    public string FrontalFace { get; init; } = "haarcascade_frontalface_default.xml";
    /// <summary>Empty turns the profile detector off.</summary>
    public string ProfileFace { get; init; } = "haarcascade_profileface.xml";
    /// <summary>Empty turns the full-body cascade off.</summary>
    public string FullBody { get; init; } = "haarcascade_fullbody.xml";
    public bool HogPeople { get; init; } = true;

    /// <summary>Smallest face looked for, in pixels of the image being redacted.</summary>
    public int MinFace { get; init; } = 16;
    /// <summary>Smallest person looked for, in pixels of the image being redacted (HOG enlarges the image to find those under 128).</summary>
    public int MinPersonHeight { get; init; } = 64;
    /// <summary>Each face box grows by this share of its size on every side (hair, ears, a chin the cascade cut).</summary>
    public float FaceMargin { get; init; } = 0.25f;
    public float PersonMargin { get; init; } = 0.1f;
    /// <summary>Scale step of the detectors' image pyramids: 1.1 finds a little more than 1.2 and takes about twice as long.</summary>
    public float PyramidStep { get; init; } = 1.1f;

    /// <summary>The files the options name, for checks at start.</summary>
    public IEnumerable<string> CascadeFiles() =>
        new[] { FrontalFace, ProfileFace, FullBody }.Where(f => f.Length > 0).Select(f => Path.Combine(CascadeFolder, f));
}

/// <summary>What a redaction filled.</summary>
public sealed record RedactionResult(int Faces, int People, int Masks, long PixelsFilled, IReadOnlyList<RedactedBox> Boxes)
{
    /// <summary>Compact JSON counts, kept with the evidence and put in disclosure records.</summary>
    public string Summary => $"{{\"faces\":{Faces},\"people\":{People},\"masks\":{Masks},\"pixels\":{PixelsFilled}}}";
}

/// <summary>
/// Fills faces, people and static privacy masks solid in a BGR image, in place (the bridge's ea_redactor).
/// Loads the cascades once; one instance per thread (OpenCV's detectors keep scratch state). A failure
/// throws <see cref="VisionException"/>: the caller must then drop the image, never keep it unredacted.
/// </summary>
public sealed unsafe class Redactor : IDisposable
{
    private const int MaxBoxes = 256;
    private readonly SafeRedactorHandle _handle;
    private readonly RedactorOptions _options;
    private readonly RedactedBox[] _boxes = new RedactedBox[MaxBoxes];

    public Redactor(RedactorOptions? options = null)
    {
        _options = options ?? new RedactorOptions();
        RedactNative.EnsureLoaded();
        nint frontal = Marshal.StringToCoTaskMemUTF8(Path.Combine(_options.CascadeFolder, _options.FrontalFace));
        nint profile = _options.ProfileFace.Length > 0 ? Marshal.StringToCoTaskMemUTF8(Path.Combine(_options.CascadeFolder, _options.ProfileFace)) : 0;
        nint body = _options.FullBody.Length > 0 ? Marshal.StringToCoTaskMemUTF8(Path.Combine(_options.CascadeFolder, _options.FullBody)) : 0;
        try
        {
            var config = new RedactInterop.RedactConfig { FrontalFace = frontal, ProfileFace = profile, FullBody = body, HogPeople = _options.HogPeople ? 1 : 0 };
            VisionNative.Check(RedactInterop.ea_redactor_create(config, out _handle), "ea_redactor_create");
        }
        finally
        {
            Marshal.FreeCoTaskMem(frontal);
            Marshal.FreeCoTaskMem(profile);
            Marshal.FreeCoTaskMem(body);
        }
    }

    /// <summary>
    /// Redacts an evidence image: detectors (when <paramref name="detect"/>) and the masks placed by its
    /// geometry. <paramref name="plate"/> (frame pixels) is where the plate is: detections never fill it.
    /// </summary>
    public RedactionResult Redact(EvidenceImage image, PrivacyMasks masks, bool detect = true, BoxI? plate = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        BoxI keep = plate is { } p
            ? new BoxI((int)((p.X - image.OriginX) * image.Scale), (int)((p.Y - image.OriginY) * image.Scale),
                (int)Math.Ceiling(p.Width * image.Scale), (int)Math.Ceiling(p.Height * image.Scale))
            : default;
        return Redact(image.Bgr.AsSpan(0, image.Length), image.Width, image.Height, image.Stride, image.OriginX, image.OriginY, image.Scale,
            masks, detect, keep);
    }

    /// <summary>
    /// Redacts a BGR image in place. The masks are in frame pixels; (origin, scale) map them onto this image.
    /// Detections are never filled inside <paramref name="keepClear"/> (image pixels).
    /// </summary>
    public RedactionResult Redact(Span<byte> bgr, int width, int height, int stride, float originX, float originY, float scale,
        PrivacyMasks masks, bool detect = true, BoxI keepClear = default)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (bgr.Length < (long)stride * (height - 1) + width * 3L) throw new ArgumentException("the buffer is smaller than the image", nameof(bgr));
        var parameters = new RedactInterop.RedactParams
        {
            OriginX = originX,
            OriginY = originY,
            Scale = scale,
            MinFace = _options.MinFace,
            MinPersonHeight = _options.MinPersonHeight,
            FaceMargin = _options.FaceMargin,
            PersonMargin = _options.PersonMargin,
            PyramidStep = _options.PyramidStep,
            Detect = detect ? 1 : 0,
            KeepX = keepClear.X,
            KeepY = keepClear.Y,
            KeepWidth = keepClear.Width,
            KeepHeight = keepClear.Height,
        };
        RedactInterop.RedactResult result;
        fixed (byte* pixels = bgr)
        fixed (float* points = masks.Points)
        fixed (int* counts = masks.Counts)
        fixed (RedactedBox* boxes = _boxes)
        {
            VisionNative.Check(RedactInterop.ea_redactor_redact(_handle, pixels, width, height, stride, parameters,
                points, counts, masks.Count, boxes, MaxBoxes, out result), "ea_redactor_redact");
        }
        return new RedactionResult(result.Faces, result.People, result.Masks, result.PixelsFilled, _boxes[..result.BoxesWritten]);
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>Static privacy masks as the bridge takes them: polygons in frame pixels, flattened.</summary>
public sealed class PrivacyMasks
{
    public static readonly PrivacyMasks None = new([]);

    public PrivacyMasks(IReadOnlyList<IReadOnlyList<(float X, float Y)>> polygons)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        Counts = polygons.Select(p => p.Count).ToArray();
        Points = polygons.SelectMany(p => p).SelectMany(pt => new[] { pt.X, pt.Y }).ToArray();
    }

    internal float[] Points { get; }
    internal int[] Counts { get; }
    public int Count => Counts.Length;
}

/// <summary>Checks, once, that the bridge has the privacy part this assembly expects.</summary>
internal static class RedactNative
{
    private static int _checked;

    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref _checked) == 1) return;
        VisionNative.EnsureLoaded();
        int abi;
        try
        {
            abi = RedactInterop.ea_redact_abi_version();
        }
        catch (EntryPointNotFoundException e)
        {
            throw new VisionException("the OpenCV bridge has no redaction functions (ea_redact_abi_version): rebuild it with ./install.sh", e);
        }
        if (abi != RedactInterop.AbiVersion)
            throw new VisionException($"the OpenCV bridge's redaction part speaks ABI {abi} but this build expects {RedactInterop.AbiVersion}: rebuild with ./install.sh");
        Volatile.Write(ref _checked, 1);
    }
}
