using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeAgent.Vision.Native;

/// <summary>A bridge call failed. The message names the call and what the bridge said.</summary>
public sealed class VisionException : Exception
{
    public VisionException(string call, int status, string detail)
        : base($"{call} failed ({status}): {detail}")
    {
        Call = call;
        Status = status;
    }

    public VisionException() { }
    public VisionException(string message) : base(message) { }
    public VisionException(string message, Exception inner) : base(message, inner) { }

    public string Call { get; } = "";
    public int Status { get; }
}

/// <summary>
/// Loads the bridge (once, from runtimes/linux-x64/native beside this assembly, then the system paths)
/// and turns its status codes into exceptions in one place.
/// </summary>
public static partial class VisionNative
{
    private static int _checked;

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The resolver must be set before the first P/Invoke of this assembly.")]
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(VisionNative).Assembly, Resolve);

    /// <summary>Where the bridge is looked for, for messages and for the doctor.</summary>
    public static string ExpectedPath =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libedgeagent_vision.so");

    /// <summary>Loads the bridge and checks its ABI version; throws with the fix when it is missing or stale.</summary>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref _checked) == 1) return;
        int abi;
        try
        {
            abi = NativeMethods.ea_abi_version();
        }
        catch (DllNotFoundException e)
        {
            throw new VisionException(
                $"the OpenCV bridge libedgeagent_vision.so could not be loaded (looked in {ExpectedPath} and the system paths): " +
                $"{e.Message}. Build it with ./install.sh (or dotnet build), and install OpenCV with ./install.sh --deps.", e);
        }
        if (abi != NativeMethods.AbiVersion)
            throw new VisionException($"the OpenCV bridge speaks ABI {abi} but this build expects {NativeMethods.AbiVersion}: rebuild with ./install.sh");
        // Each camera's frame loop is one thread and the cameras are the parallelism: OpenCV's own worker
        // threads (TBB) would only fight the capture threads for the same few cores.
        Check(NativeMethods.ea_set_threads(1), "ea_set_threads");
        Volatile.Write(ref _checked, 1);
    }

    internal static string LastError() => Marshal.PtrToStringUTF8(NativeMethods.ea_last_error()) ?? "no detail";

    /// <summary>Throws for a negative status; returns the status otherwise.</summary>
    internal static int Check(int status, string call)
    {
        if (status >= 0) return status;
        ThrowFor(status, call);
        return status;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFor(int status, string call) => throw new VisionException(call, status, LastError());

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Library) return 0;
        // OpenCV's dependencies load libgomp, which reads OMP_THREAD_LIMIT once, when it loads: if the bridge
        // loads before Tesseract, Tesseract's own setting would come too late, and its OpenMP threads spin
        // against the frame loops (a tenth of the processing thread's time, measured with perf). Only if
        // nobody chose otherwise.
        if (Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") is null) _ = setenv("OMP_THREAD_LIMIT", "1", 0);
        // FFmpeg's and OpenCV's threads would each get a C heap arena of their own (up to 8 per core), and
        // freed frame buffers stay in them: two arenas keep the agent's resident memory about 8 MB lower
        // (bench, 1080p). Only if the operator did not choose (MALLOC_ARENA_MAX is read by glibc itself).
        if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null) _ = mallopt(MallocArenaMax, 2);
        // glibc raises its mmap threshold after the first large free (up to 32 MB), so frame-sized buffers then
        // come from the arenas and their pages stay with the process: with redaction's full-frame images the
        // soak's RSS grew by 100 MB in 3 minutes. A fixed threshold keeps buffers of 4 MB and more mmapped,
        // given back when freed.
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null) _ = mallopt(MallocMmapThreshold, 4 << 20);
        string? overrideDir = Environment.GetEnvironmentVariable("EDGEAGENT_NATIVE_DIR");
        foreach (string? candidate in new[]
                 {
                     overrideDir is null ? null : Path.Combine(overrideDir, "libedgeagent_vision.so"),
                     ExpectedPath,
                     Path.Combine(AppContext.BaseDirectory, "libedgeagent_vision.so"),
                 })
        {
            // Load (not TryLoad) a file that exists, so a missing OpenCV dependency surfaces with dlerror's text.
            if (candidate is not null && File.Exists(candidate)) return NativeLibrary.Load(candidate);
        }
        return NativeLibrary.TryLoad("libedgeagent_vision.so", assembly, searchPath, out nint system) ? system : 0;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    private const int MallocArenaMax = -8;   // M_ARENA_MAX in glibc's malloc.h
    private const int MallocMmapThreshold = -3;   // M_MMAP_THRESHOLD in glibc's malloc.h

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
