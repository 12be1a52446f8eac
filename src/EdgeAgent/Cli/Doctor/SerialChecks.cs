using System.Globalization;

using Microsoft.Extensions.Logging.Abstractions;

using EdgeAgent.Cli.Output;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Platform;
using EdgeAgent.Platform.Serial;

namespace EdgeAgent.Cli.Doctor;

/// <summary>Listens to the profile's serial inputs once, for the serial check and the clock check to share.</summary>
public sealed class SerialListening(DoctorContext context)
{
    private Task<(GpsReceiver Gps, SerialInputStatus Status)>? _gps;

    /// <summary>The GPS receiver after listening to it for the sample time (at least 2.5 s: one sentence a second).</summary>
    public Task<(GpsReceiver Gps, SerialInputStatus Status)> GpsAsync(GpsInput input, CancellationToken cancellation) =>
        _gps ??= ListenAsync(input.Device, input.Baud, "gps", new GpsReceiver(TimeProvider.System), cancellation);

    public Task<(VehicleTriggers Triggers, SerialInputStatus Status)> TriggerAsync(TriggerInput input, CancellationToken cancellation) =>
        ListenAsync(input.Device, input.Baud, "trigger", new VehicleTriggers(TimeProvider.System), cancellation);

    private async Task<(T, SerialInputStatus)> ListenAsync<T>(string device, int baud, string name, T handler, CancellationToken cancellation)
        where T : ISerialLineHandler
    {
        var reader = new SerialLineReader(new SerialInputOptions(name, device, baud), handler, TimeProvider.System, NullLogger.Instance);
        using var listen = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Task running = reader.RunAsync(listen.Token);
        TimeSpan time = context.SampleTime < TimeSpan.FromSeconds(2.5) ? TimeSpan.FromSeconds(2.5) : context.SampleTime;
        await Task.Delay(time, cancellation).ConfigureAwait(false);
        SerialInputStatus status = reader.Status;
        await listen.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        return (handler, status);
    }
}

/// <summary>The kernel says the clock is synchronised (NTP, PTP), or the GPS receiver's time agrees with it.</summary>
public sealed class ClockCheck(SerialListening serial) : IDoctorCheck
{
    public string Name => "clock sync";

    public async Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ClockState kernel = KernelClock.Read();
        if (kernel.Synced)
            return CheckResult.Pass(Name, string.Create(CultureInfo.InvariantCulture, $"synchronised (kernel, offset {kernel.OffsetMs:0.###} ms)"));
        string unsynced = kernel.Source == "unknown" ? "the kernel's sync state is unknown"
            : string.Create(CultureInfo.InvariantCulture, $"the kernel reports the clock unsynchronised (estimated error {kernel.OffsetMs / 1000:0.#} s)");
        if (context.Profile?.Serial.Gps is not { } gpsInput)
            return CheckResult.Fail(Name, unsynced + " and the profile has no GPS",
                "run an NTP client that disciplines the kernel clock (apt install chrony, or systemd-timesyncd) with a reachable server, or fit a GPS (profile serial.gps)");
        var (gps, status) = await serial.GpsAsync(gpsInput, cancellation).ConfigureAwait(false);
        if (gps.Clock(gpsInput.ClockTolerance.TotalMilliseconds) is not { } byGps)
            return CheckResult.Fail(Name, $"{unsynced}; the GPS on {gpsInput.Device} gave no valid time ({status.Accepted} good sentences)",
                "give the GPS antenna a view of the sky (RMC status A needs a fix), or run an NTP client");
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"{unsynced}; GPS time on {gpsInput.Device}: the clock is {byGps.OffsetMs:+0;-0} ms off (tolerance {gpsInput.ClockTolerance.TotalMilliseconds:0} ms)");
        return byGps.Synced
            ? CheckResult.Pass(Name, detail)
            : CheckResult.Fail(Name, detail, "set the clock (e.g. date -s from GPS time, or let chrony use the GPS: gpsd + chrony refclock), then check again");
    }
}

/// <summary>Each serial input of the profile opens and sends lines that parse.</summary>
public sealed class SerialDevicesCheck(SerialListening serial) : IDoctorCheck
{
    public string Name => "serial devices";

    public async Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Profile is not { } profile)
            return CheckResult.Fail(Name, "no valid hardware profile (see the settings line)", "fix Camera:Profile");
        if (!profile.Serial.Any) return CheckResult.Pass(Name, $"none in profile {profile.Name}");
        var parts = new List<string>();
        var fixes = new List<string>();
        if (profile.Serial.Trigger is { } trigger)
        {
            var (triggers, status) = await serial.TriggerAsync(trigger, cancellation).ConfigureAwait(false);
            if (status.Opens == 0)
            {
                parts.Add($"trigger {trigger.Device}: {status.LastError}");
                fixes.Add($"connect the loop detector to {trigger.Device} or correct serial.trigger.device in the profile");
            }
            else if (status.Accepted == 0 && status.Malformed + status.Overlong > 0)
            {
                parts.Add($"trigger {trigger.Device}: only noise ({status.Malformed} malformed, {status.Overlong} over-long lines)");
                fixes.Add($"set serial.trigger.baud to the detector's speed (now {trigger.Baud}) and its output to 'VEH[,lane[,km/h]]' lines");
            }
            else
            {
                parts.Add($"trigger {trigger.Device} at {trigger.Baud} baud: {triggers.Snapshot().Vehicles} vehicles, {status.Malformed} malformed lines");
            }
        }
        if (profile.Serial.Gps is { } gpsInput)
        {
            var (gps, status) = await serial.GpsAsync(gpsInput, cancellation).ConfigureAwait(false);
            GpsSnapshot fix = gps.Snapshot();
            if (status.Opens == 0)
            {
                parts.Add($"gps {gpsInput.Device}: {status.LastError}");
                fixes.Add($"connect the GPS to {gpsInput.Device} or correct serial.gps.device in the profile");
            }
            else if (status.Accepted == 0)
            {
                parts.Add($"gps {gpsInput.Device}: no good NMEA sentence ({status.Lines} lines, {status.Malformed} malformed)");
                fixes.Add($"set serial.gps.baud to the receiver's speed (now {gpsInput.Baud}; 4800 and 9600 are usual) and enable GGA/RMC output");
            }
            else
            {
                parts.Add(fix.Position is { } p
                    ? string.Create(CultureInfo.InvariantCulture, $"gps {gpsInput.Device}: fix at {p.Latitude:0.00000},{p.Longitude:0.00000}, {fix.Satellites} satellites, {status.Malformed} malformed lines")
                    : $"gps {gpsInput.Device}: sentences but no fix yet ({fix.Satellites} satellites)");
            }
        }
        string detail = string.Join("; ", parts);
        return fixes.Count == 0 ? CheckResult.Pass(Name, detail) : CheckResult.Fail(Name, detail, string.Join("; ", fixes));
    }
}
