using System.Runtime.InteropServices;

using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Transport.Tests;

/// <summary>
/// Ends a client's TCP connection the way the death of its process does: the socket closes, no MQTT
/// DISCONNECT is sent, so the broker publishes the Last Will. shutdown(2) rather than close(2) so that
/// libmosquitto keeps owning (and later closing) its descriptor.
/// </summary>
internal static partial class SocketCutter
{
    private const int ShutRdWr = 2;

    public static void Cut(MosquittoClient client)
    {
        int fd = client.SocketDescriptor;
        if (fd < 0) throw new InvalidOperationException("The client has no socket to cut.");
        if (Shutdown(fd, ShutRdWr) != 0) throw new InvalidOperationException($"shutdown({fd}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int Shutdown(int fd, int how);
}
