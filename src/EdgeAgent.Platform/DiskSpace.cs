using System.Runtime.InteropServices;

namespace EdgeAgent.Platform;

/// <summary>Free and total space of the filesystem holding a path, from statvfs(3).</summary>
public static partial class DiskSpace
{
    /// <summary>The filesystem's figures, or null when the path (or its nearest existing parent) cannot be examined.</summary>
    public static DiskUsage? Read(string path)
    {
        // The outbox's folder may not exist yet at the first look: ask about the nearest folder that does.
        string? probe = Path.GetFullPath(path);
        while (probe is not null && !Directory.Exists(probe) && !File.Exists(probe)) probe = Path.GetDirectoryName(probe);
        if (probe is null) return null;
        Statvfs s = default;
        if (statvfs(probe, ref s) != 0) return null;
        ulong unit = s.FragmentSize != 0 ? s.FragmentSize : s.BlockSize;
        // f_bavail, not f_bfree: the blocks reserved for root are not ours to count on.
        return new DiskUsage(checked((long)(s.AvailableBlocks * unit)), checked((long)(s.Blocks * unit)));
    }

    /// <summary>Free bytes for <paramref name="path"/>'s filesystem, or null (the outbox's probe).</summary>
    public static long? FreeBytes(string path) => Read(path)?.FreeBytes;

    [LibraryImport("libc", EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statvfs(string path, ref Statvfs buffer);

    // struct statvfs on 64-bit Linux (glibc): 11 longs and six spare ints, 112 bytes.
    [StructLayout(LayoutKind.Explicit, Size = 112)]
    private struct Statvfs
    {
        [FieldOffset(0)] public ulong BlockSize;
        [FieldOffset(8)] public ulong FragmentSize;
        [FieldOffset(16)] public ulong Blocks;
        [FieldOffset(24)] public ulong FreeBlocks;
        [FieldOffset(32)] public ulong AvailableBlocks;
    }
}

/// <summary>A filesystem's space in bytes.</summary>
public sealed record DiskUsage(long FreeBytes, long TotalBytes);
