using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Hosting;

/// <summary>Exit codes of the agent: scripts and test rigs rely on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Settings, a profile, a key or another input is invalid (the message says which and how to fix it).</summary>
    public const int BadConfiguration = 2;
    /// <summary>The source could not be opened or failed (missing camera, corrupt or truncated video).</summary>
    public const int SourceFailed = 3;
    /// <summary>A finite run ended but the outbox could not be drained to the broker in time.</summary>
    public const int NotDrained = 4;
    /// <summary>A check failed: the audit chain is broken, or a policy's signature is missing or invalid.</summary>
    public const int VerificationFailed = 5;
    /// <summary>At least one `edgeagent doctor` check failed (each failed line says the fix).</summary>
    public const int DoctorFailed = 6;
    /// <summary>An unexpected failure; the log has the details.</summary>
    public const int Failed = 1;
}

/// <summary>Lets a service end the host with an exit code (the first reason to stop wins).</summary>
public sealed class AgentLifetime(IHostApplicationLifetime lifetime)
{
    private int _exitCode = -1;

    public int ExitCode => _exitCode < 0 ? ExitCodes.Ok : _exitCode;

    public void Stop(int exitCode)
    {
        Interlocked.CompareExchange(ref _exitCode, exitCode, -1);
        lifetime.StopApplication();
    }
}
