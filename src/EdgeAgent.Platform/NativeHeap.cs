using System.Runtime.InteropServices;

namespace EdgeAgent.Platform;

/// <summary>
/// The C heap under the native libraries (FFmpeg, OpenCV, Tesseract). When a camera is reopened their large
/// buffers are freed and allocated again, and glibc keeps the freed pages (its mmap threshold rises after the
/// first large free, so later buffers come from the arenas): soak at 1080p grew about 60 MB a reopen.
/// Trimming once after the old source and pipeline are gone gives the free pages back.
/// </summary>
public static partial class NativeHeap
{
    /// <summary>Returns free C heap pages to the kernel (malloc_trim(0)); true when any were released. Never throws.</summary>
    public static bool Trim()
    {
        try
        {
            return malloc_trim(0) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;   // not glibc
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
