using System.Runtime.InteropServices;

namespace EdgeAgent.Vision.Native;

// The only code that frees bridge handles. The public parameterless constructors are required by the
// interop marshaller, which creates the handle before the native call fills it.

internal sealed class SafeSourceHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ea_source_close(handle);
        return true;
    }
}

internal sealed class SafeImageHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ea_image_free(handle);
        return true;
    }
}

internal sealed class SafeFinderHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ea_finder_free(handle);
        return true;
    }
}

internal sealed class SafeMotionHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ea_motion_free(handle);
        return true;
    }
}

internal sealed class SafeReaderHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ea_reader_free(handle);
        return true;
    }
}
