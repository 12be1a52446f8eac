using System.Runtime.InteropServices;

using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Redaction;

/// <summary>1:1 with include/edgeagent_redact.h (the bridge's privacy part). Internal: only the wrappers here call it.</summary>
internal static unsafe partial class RedactInterop
{
    /// <summary>The version of edgeagent_redact.h this assembly was written against.</summary>
    internal const int AbiVersion = 1;

    [LibraryImport(NativeMethods.Library, EntryPoint = "ea_redact_abi_version")]
    internal static partial int ea_redact_abi_version();

    [LibraryImport(NativeMethods.Library, EntryPoint = "ea_evidence_capture")]
    internal static partial int ea_evidence_capture(byte* bgr, int width, int height, int stride,
        int cropX, int cropY, int cropWidth, int cropHeight, byte* cropOut, int cropMaxWidth, int cropMaxHeight,
        out int cropOutWidth, out int cropOutHeight, byte* overviewOut, int overviewWidth, int overviewHeight);

    [LibraryImport(NativeMethods.Library, EntryPoint = "ea_redactor_create")]
    internal static partial int ea_redactor_create(in RedactConfig config, out SafeRedactorHandle redactor);

    [LibraryImport(NativeMethods.Library, EntryPoint = "ea_redactor_redact")]
    internal static partial int ea_redactor_redact(SafeRedactorHandle redactor, byte* bgr, int width, int height, int stride,
        in RedactParams parameters, float* maskPoints, int* maskCounts, int maskPolygons, RedactedBox* found, int maxFound,
        out RedactResult result);

    [LibraryImport(NativeMethods.Library, EntryPoint = "ea_redactor_free")]
    internal static partial void ea_redactor_free(nint redactor);

    [LibraryImport(NativeMethods.Library, EntryPoint = "ea_jpeg_encode_capped")]
    internal static partial int ea_jpeg_encode_capped(byte* bgr, int width, int height, int stride, int gray,
        int maxBytes, int minQuality, int maxQuality, int minWidth, byte* output, int outputCapacity, out int outputLength,
        out int qualityUsed, out int outputWidth, out int outputHeight);

    [LibraryImport(NativeMethods.Library, EntryPoint = "ea_image_decode")]
    internal static partial int ea_image_decode(byte* data, int length, byte* bgr, int stride, out int width, out int height);

    [StructLayout(LayoutKind.Sequential)]
    internal struct RedactConfig
    {
        public nint FrontalFace;
        public nint ProfileFace;
        public nint FullBody;
        public int HogPeople;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct RedactParams
    {
        public float OriginX, OriginY, Scale;
        public int MinFace;
        public int MinPersonHeight;
        public float FaceMargin;
        public float PersonMargin;
        public float PyramidStep;
        public int Detect;
        public byte FillB, FillG, FillR, Reserved;
        public int KeepX, KeepY, KeepWidth, KeepHeight;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct RedactResult
    {
        public int Faces;
        public int People;
        public int Masks;
        public int BoxesWritten;
        public long PixelsFilled;
    }
}

/// <summary>A filled region (ea_rect): its box in image pixels and what it was.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RedactedBox
{
    public int X;
    public int Y;
    public int Width;
    public int Height;
    public RedactedKind Kind;
}

/// <summary>Why a region was filled. Values are the bridge's (ea_rect.kind).</summary>
public enum RedactedKind
{
    FrontalFace = 1,
    ProfileFace = 2,
    FullBody = 3,
    Person = 4,
    Mask = 5,
}

internal sealed class SafeRedactorHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        RedactInterop.ea_redactor_free(handle);
        return true;
    }
}
