using System.Runtime.InteropServices;

namespace EdgeAgent.Platform;

/// <summary>
/// Users and file ownership through libc (getpwnam, chown): .NET sets a file's mode but not its owner,
/// and the service's secrets must belong to the service's user so that it, and only it, can read them.
/// </summary>
public static partial class UnixAccounts
{
    /// <summary>The user's uid and primary gid, or null when there is no such user.</summary>
    public static (uint Uid, uint Gid)? Lookup(string user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        nint entry = getpwnam(user);
        if (entry == 0) return null;
        // struct passwd on 64-bit Linux: char* pw_name, char* pw_passwd, uid_t pw_uid, gid_t pw_gid, ...
        return ((uint)Marshal.ReadInt32(entry, 16), (uint)Marshal.ReadInt32(entry, 20));
    }

    /// <summary>Gives the file to uid:gid; throws naming the file and the reason on failure.</summary>
    public static void SetOwner(string path, uint uid, uint gid)
    {
        if (chown(path, uid, gid) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"chown {uid}:{gid} {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    /// <summary>The uid that owns a file (statx: one layout on every architecture, unlike struct stat).</summary>
    public static unsafe uint FileOwner(string path)
    {
        const int AtFdCwd = -100;
        const uint StatxUid = 0x8;
        byte* buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, 0, StatxUid, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"statx {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        return *(uint*)(buffer + 20);  // struct statx: mask, blksize, attributes (u64), nlink, then uid
    }

    /// <summary>The effective user is root (may chown).</summary>
    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint getpwnam(string name);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
