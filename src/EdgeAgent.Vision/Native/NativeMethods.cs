using System.Runtime.InteropServices;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;

namespace EdgeAgent.Vision.Native;

/// <summary>1:1 with include/edgeagent_vision.h. Internal: only the wrappers in this assembly call it.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "edgeagent_vision";

    /// <summary>The bridge ABI this assembly was written against (ea_abi_version).</summary>
    internal const int AbiVersion = 3;

    [LibraryImport(Library, EntryPoint = "ea_abi_version")]
    internal static partial int ea_abi_version();

    [LibraryImport(Library, EntryPoint = "ea_last_error")]
    internal static partial nint ea_last_error();

    [LibraryImport(Library, EntryPoint = "ea_source_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ea_source_open(string uri, out SafeSourceHandle source);

    [LibraryImport(Library, EntryPoint = "ea_source_info_get")]
    internal static partial int ea_source_info_get(SafeSourceHandle source, out SourceInfo info);

    [LibraryImport(Library, EntryPoint = "ea_set_threads")]
    internal static partial int ea_set_threads(int threads);

    [LibraryImport(Library, EntryPoint = "ea_source_read")]
    internal static partial int ea_source_read(SafeSourceHandle source, byte* bgr, int bgrStride, byte* gray, int grayStride,
        int width, int height, out double ptsMs);

    [LibraryImport(Library, EntryPoint = "ea_source_close")]
    internal static partial void ea_source_close(nint source);

    [LibraryImport(Library, EntryPoint = "ea_image_load", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ea_image_load(string path, out SafeImageHandle image, out int width, out int height);

    [LibraryImport(Library, EntryPoint = "ea_image_copy")]
    internal static partial int ea_image_copy(SafeImageHandle image, byte* bgr, int bgrStride, byte* gray, int grayStride);

    [LibraryImport(Library, EntryPoint = "ea_image_free")]
    internal static partial void ea_image_free(nint image);

    [LibraryImport(Library, EntryPoint = "ea_finder_create")]
    internal static partial int ea_finder_create(out SafeFinderHandle finder);

    [LibraryImport(Library, EntryPoint = "ea_finder_find")]
    internal static partial int ea_finder_find(SafeFinderHandle finder, byte* gray, int width, int height, int stride,
        in FindParams parameters, PlateCandidate* output, int maxOutput);

    [LibraryImport(Library, EntryPoint = "ea_finder_find_in")]
    internal static partial int ea_finder_find_in(SafeFinderHandle finder, byte* gray, int width, int height, int stride,
        in FindParams parameters, SearchWindow* regions, int regionCount, PlateCandidate* output, int maxOutput);

    [LibraryImport(Library, EntryPoint = "ea_finder_free")]
    internal static partial void ea_finder_free(nint finder);

    [LibraryImport(Library, EntryPoint = "ea_shrink_compare")]
    internal static partial int ea_shrink_compare(byte* gray, int width, int height, int stride, double scale, out int maxDifference,
                                                  out long differing);

    [LibraryImport(Library, EntryPoint = "ea_blobs_compare")]
    internal static partial int ea_blobs_compare(byte* gray, int width, int height, int stride, int threshold, out int ours,
                                                 out int opencv, out int matching);

    [LibraryImport(Library, EntryPoint = "ea_motion_create")]
    internal static partial int ea_motion_create(out SafeMotionHandle motion);

    [LibraryImport(Library, EntryPoint = "ea_motion_update")]
    internal static partial int ea_motion_update(SafeMotionHandle motion, byte* gray, int width, int height, int stride,
        in MotionParams parameters, SearchWindow* keep, int keepCount, SearchWindow* output, int maxOutput, out MotionInfo info);

    [LibraryImport(Library, EntryPoint = "ea_motion_free")]
    internal static partial void ea_motion_free(nint motion);

    [LibraryImport(Library, EntryPoint = "ea_plate_prepare")]
    internal static partial int ea_plate_prepare(SafeFinderHandle finder, byte* gray, int width, int height, int stride,
        PlateCandidate* box, byte* output, int outStride, int outHeight, out int outWidth, CharBox* chars, int maxChars);

    [LibraryImport(Library, EntryPoint = "ea_reader_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ea_reader_create(string? modelPath, string? networkPath, out SafeReaderHandle reader);

    [LibraryImport(Library, EntryPoint = "ea_plate_read")]
    internal static partial int ea_plate_read(SafeReaderHandle reader, byte* gray, int width, int height, int stride,
        PlateCandidate* box, ReadInfo* info, CharRead* chars, int maxChars);

    [LibraryImport(Library, EntryPoint = "ea_reader_free")]
    internal static partial void ea_reader_free(nint reader);

    [LibraryImport(Library, EntryPoint = "ea_plate_samples")]
    internal static partial int ea_plate_samples(SafeReaderHandle reader, byte* gray, int width, int height, int stride,
        PlateCandidate* box, CharSample* output, int maxOutput);

    [LibraryImport(Library, EntryPoint = "ea_classifier_train", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ea_classifier_train(float* features, int* labels, int count, int hidden, int iterations,
        ulong seed, string path, out double holdoutAccuracy);

    [LibraryImport(Library, EntryPoint = "ea_image_degrade")]
    internal static partial int ea_image_degrade(byte* gray, int width, int height, int stride, in DegradeParams parameters);

    internal const int Ok = 0;
    internal const int ErrArgument = -1;
    internal const int ErrOpen = -2;
    internal const int ErrRead = -3;
    internal const int ErrSize = -4;
    internal const int ErrInternal = -5;
    internal const int ErrIo = -6;

    [StructLayout(LayoutKind.Sequential)]
    internal struct SourceInfo
    {
        public int Width;
        public int Height;
        public double Fps;
        public long FrameCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct FindParams
    {
        public int RoiX, RoiY, RoiWidth, RoiHeight;
        public int MinPlateHeight, MaxPlateHeight;
        public float MinAspect, MaxAspect;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MotionParams
    {
        public int RoiX, RoiY, RoiWidth, RoiHeight;
        public int Grow;
        public float FullShare;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MotionInfo
    {
        public int Full;
        public int Threshold;
        public int ActiveTiles;
        public int TotalTiles;
    }
}

/// <summary>A character's box in a prepared plate image (ea_char_box).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct CharBox
{
    public int X;
    public int Y;
    public int Width;
    public int Height;
}

/// <summary>One character a classifier read found (ea_char_read): its box in the deskewed plate and its class probabilities.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CharRead
{
    /// <summary>A-Z, 0-9, then "not a character".</summary>
    public const int Classes = 37;
    public const int NoiseClass = 36;

    public int X;
    public int Y;
    public int Width;
    public int Height;
    public fixed float Probabilities[Classes];

    /// <summary>The class's character: 'A'-'Z', '0'-'9', '#' for not a character.</summary>
    public static char ClassChar(int cls) => cls switch
    {
        < 26 => (char)('A' + cls),
        < 36 => (char)('0' + cls - 26),
        _ => '#',
    };

    /// <summary>The class of a plate character, or -1.</summary>
    public static int ClassOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= '0' and <= '9' => 26 + (c - '0'),
        '#' => NoiseClass,
        _ => -1,
    };
}

/// <summary>What a classifier read found besides the characters (ea_read_info).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ReadInfo
{
    /// <summary>The plate around the characters read, in frame coordinates.</summary>
    public PlateCandidate Plate;
    /// <summary>Mean probability of the characters' best classes.</summary>
    public float Score;
    /// <summary>Segmentations of the plate that were classified.</summary>
    public int Cuts;
}

/// <summary>A character box of one segmentation with the classifier's features (ea_char_sample), for training.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CharSample
{
    public const int Features = 1086;

    public int Cut;
    /// <summary>1 when the cut took the characters for dark on a light plate.</summary>
    public int DarkOnLight;
    public int X;
    public int Y;
    public int Width;
    public int Height;
    /// <summary>The box's centre and height in the image the samples were cut from.</summary>
    public float FrameX;
    public float FrameY;
    public float FrameHeight;
    public fixed float FeatureValues[Features];
    public fixed float Probabilities[CharRead.Classes];
}

/// <summary>How to degrade an image as a camera and the weather would (ea_degrade_params).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct DegradeParams
{
    public float BlurSigma;
    public float MotionLength;
    public float MotionAngle;
    public float Contrast;
    public float Brightness;
    public float Gamma;
    public float NoiseSigma;
    public int JpegQuality;
    public ulong Seed;

    public static DegradeParams None => new() { Contrast = 1, Gamma = 1 };
}
