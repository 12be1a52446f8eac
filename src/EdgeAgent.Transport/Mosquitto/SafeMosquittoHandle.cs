using System.Runtime.InteropServices;

namespace EdgeAgent.Transport.Mosquitto;

/// <summary>Owns a <c>struct mosquitto *</c>; the only code that calls mosquitto_destroy. The client stops the
/// network thread before disposing it: destroying with the thread running would cancel it mid-callback.</summary>
internal sealed class SafeMosquittoHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        MosquittoInterop.Destroy(handle);
        return true;
    }
}
