using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeAgent.Transport.Mosquitto;

/// <summary>
/// Loads libmosquitto.so.1 (Debian: libmosquitto1) and initialises it once. The import name is mapped by a
/// resolver rather than written as the file name because the Debian package ships no unversioned
/// libmosquitto.so without the -dev package, and the run time must not need that.
/// </summary>
public static class MosquittoLibrary
{
    public const string FileName = "libmosquitto.so.1";

    private static readonly Lazy<int> Initialised = new(() => MosquittoInterop.LibInit(), LazyThreadSafetyMode.ExecutionAndPublication);

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The resolver must be set before the first P/Invoke of this assembly.")]
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(MosquittoLibrary).Assembly, Resolve);

    /// <summary>libmosquitto's version, e.g. 2.0.11, loading and initialising the library if needed.</summary>
    public static Version Version()
    {
        EnsureInitialised();
        _ = MosquittoInterop.LibVersion(out int major, out int minor, out int revision);
        return new Version(major, minor, revision);
    }

    /// <summary>
    /// mosquitto_lib_init is not thread safe and must run once before any client exists (it seeds OpenSSL and
    /// the random source for client ids); a Lazy with ExecutionAndPublication guarantees exactly one call.
    /// </summary>
    internal static void EnsureInitialised()
    {
        int rc;
        try
        {
            rc = Initialised.Value;
        }
        catch (DllNotFoundException e)
        {
            throw new MosquittoException(
                $"{FileName} could not be loaded: {e.Message}. Install it with ./install.sh --deps (Debian: libmosquitto1).", e);
        }
        Mosq.ThrowIfError(rc, "mosquitto_lib_init");
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == MosquittoInterop.Library ? NativeLibrary.Load(FileName, assembly, searchPath) : 0;
}

/// <summary>Turns libmosquitto's return codes into exceptions and text, in one place.</summary>
internal static class Mosq
{
    /// <summary>Throws for any rc but MOSQ_ERR_SUCCESS, naming the call. Never includes arguments: they may be secrets.</summary>
    internal static void ThrowIfError(int rc, string call)
    {
        if (rc == MosquittoInterop.ErrSuccess) return;
        Throw(rc, call);
    }

    [DoesNotReturn]
    private static void Throw(int rc, string call) =>
        throw (rc is MosquittoInterop.ErrNoConn or MosquittoInterop.ErrConnLost
            ? new BrokerUnavailableException(call, rc, ErrorText(rc))
            : new MosquittoException(call, rc, ErrorText(rc)));

    /// <summary>mosquitto_strerror, plus the C errno text for MOSQ_ERR_ERRNO (the library leaves errno set).</summary>
    internal static string ErrorText(int rc, int errno = 0)
    {
        string text = PtrToString(MosquittoInterop.StrError(rc)) ?? $"error {rc}";
        if (rc == MosquittoInterop.ErrErrno && errno != 0) text = $"{text}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return text;
    }

    /// <summary>The text of a CONNACK or DISCONNECT reason: MQTT 5 reason codes, or the 3.1.1 CONNACK codes 1..5.</summary>
    internal static string ReasonText(int reasonCode, bool mqtt5) =>
        (mqtt5 ? PtrToString(MosquittoInterop.ReasonString(reasonCode)) : PtrToString(MosquittoInterop.ConnackString(reasonCode)))
        ?? $"reason {reasonCode}";

    /// <summary>Text for the rc of a disconnect callback: 0 asked for; below 128 a library error; 128 and up a broker's reason.</summary>
    internal static string DisconnectText(int rc) => rc switch
    {
        0 => "disconnected on request",
        >= 128 => ReasonText(rc, mqtt5: true),
        _ => ErrorText(rc),
    };

    // The strings are static in libmosquitto: read, never freed.
    private static string? PtrToString(nint p) => p == 0 ? null : Marshal.PtrToStringUTF8(p);
}
