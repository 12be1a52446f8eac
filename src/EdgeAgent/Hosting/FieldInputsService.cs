using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Platform.Serial;

namespace EdgeAgent.Hosting;

/// <summary>
/// The serial inputs of the hardware profile: the vehicle trigger marks each read as confirmed by a vehicle
/// on the loop (or not), and the GPS receiver gives reads the unit's position and, when the kernel's clock
/// is not synchronised, a GPS time check. Either input failing never stops the agent: its reader keeps
/// reopening the device, and reads go on without the mark.
/// </summary>
public sealed partial class FieldInputsService : BackgroundService
{
    private readonly SerialInputs _inputs;
    private readonly ILogger _logger;
    private readonly List<SerialLineReader> _readers = [];

    public FieldInputsService(HardwareProfile profile, TimeProvider time, ILoggerFactory loggers)
    {
        _inputs = profile.Serial;
        _logger = loggers.CreateLogger<FieldInputsService>();
        ILogger serialLog = loggers.CreateLogger<SerialLineReader>();
        if (_inputs.Trigger is { } t)
        {
            Triggers = new VehicleTriggers(time);
            _readers.Add(new SerialLineReader(new SerialInputOptions("trigger", t.Device, t.Baud), Triggers, time, serialLog));
        }
        if (_inputs.Gps is { } g)
        {
            Gps = new GpsReceiver(time);
            _readers.Add(new SerialLineReader(new SerialInputOptions("gps", g.Device, g.Baud), Gps, time, serialLog));
        }
    }

    public VehicleTriggers? Triggers { get; }
    public GpsReceiver? Gps { get; }
    public IReadOnlyList<SerialLineReader> Readers => _readers;

    /// <summary>Registers the service and hooks it into the recorder, when the profile has serial inputs.</summary>
    public static void Add(IServiceCollection services, HardwareProfile profile)
    {
        if (!profile.Serial.Any) return;
        services.AddSingleton(sp =>
        {
            var inputs = new FieldInputsService(profile, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>());
            sp.GetRequiredService<ReadRecorder>().Enrich = inputs.Enrich;
            return inputs;
        });
        services.AddHostedService(sp => sp.GetRequiredService<FieldInputsService>());
    }

    /// <summary>The read with the trigger mark, the position and (if the kernel does not vouch for the clock) the GPS clock check.</summary>
    public PlateReadEvent Enrich(PlateReadEvent read, DateTimeOffset firstSeen)
    {
        ArgumentNullException.ThrowIfNull(read);
        bool? triggered = Triggers is null ? null : Triggers.Claim(firstSeen, read.Time, read.Lane, _inputs.Trigger!.MatchWindow);
        GeoPosition? position = Gps?.Position;
        ClockState clock = read.Clock.Synced || Gps is null ? read.Clock : Gps.Clock(_inputs.Gps!.ClockTolerance.TotalMilliseconds) ?? read.Clock;
        return read with { Triggered = triggered, Position = position, Clock = clock };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(_readers.Select(r => r.RunAsync(stoppingToken))).ConfigureAwait(false);
        if (Triggers?.Snapshot() is { } t) Log.TriggerSummary(_logger, t.Vehicles, t.Matched, t.Unmatched);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Vehicle trigger: {Vehicles} vehicles on the loop, {Matched} matched a read, {Unmatched} had no read")]
        public static partial void TriggerSummary(ILogger logger, long vehicles, long matched, long unmatched);
    }
}
