using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Platform;
using EdgeAgent.Privacy;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Settings;
using EdgeAgent.Storage;
using EdgeAgent.Storage.Audit;

namespace EdgeAgent.Hosting;

/// <summary>
/// Composes the agent: settings are validated first (nothing starts with a bad one), then the outbox,
/// keys, pseudonymiser, recorder, forwarder and camera loop are registered as one generic host.
/// </summary>
public static class AgentHostBuilder
{
    public static IHost Build(AgentMode mode, AgentSettings settings, HardwareProfile profile, IConfiguration configuration,
        CameraRunSettings run, TextWriter notices)
    {
        PrepareThrowawayDefaults(mode, settings, notices);
        UnitSecret secret = UnitSecret.Load(settings.Privacy.KeyFile);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        IServiceCollection services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(profile);
        services.AddSingleton(run);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentLifetime>();
        services.AddSingleton(secret);
        services.AddSingleton(_ => new PlateHasher(secret, TimeZoneInfo.FindSystemTimeZoneById(settings.Privacy.TimeZone)));
        services.AddSingleton(sp => new Pseudonymiser(sp.GetRequiredService<PlateHasher>(),
            new ReadOrigin(settings.Mqtt.Site, settings.Mqtt.CameraId, profile)));
        // The audit chain beside the outbox (or at Privacy:AuditPath): anything that must be accountable appends to it.
        services.AddSingleton<IAuditLog>(_ => new AuditLogFile(settings.Privacy.ResolveAuditPath(settings.Storage.Path)));
        services.AddSingleton<EvictionAuditor>();
        services.AddSingleton(sp => OutboxSetup.Open(settings, sp.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeAgent.Storage.Outbox"),
            sp.GetRequiredService<EvictionAuditor>()));
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<SqliteOutbox>());
        services.AddSingleton(sp => new ReadRecorder(sp.GetRequiredService<Pseudonymiser>(), sp.GetRequiredService<IOutbox>(),
            KernelClock.Read, sp.GetRequiredService<ILogger<ReadRecorder>>()));
        services.AddSingleton(sp => new CameraPipelineFactory(settings, profile));

        // Start order matters: the recorder and forwarder are up before the first frame is read.
        services.AddSingleton<RecorderService>();
        services.AddHostedService(sp => sp.GetRequiredService<RecorderService>());
        PrivacyRegistration.Add(services, settings, profile);
        ForwarderRegistration.Add(services, settings, profile);
        FieldInputsService.Add(services, profile);
        services.AddSingleton<CameraStateTracker>();
        services.AddSingleton<CameraService>();
        services.AddHostedService(sp => sp.GetRequiredService<CameraService>());
        services.AddSingleton<SystemdNotifier>();
        services.AddSingleton<HealthService>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthService>());
        return builder.Build();
    }

    // replay and demo run with no settings at all: a fresh outbox and a throwaway key, said out loud.
    private static void PrepareThrowawayDefaults(AgentMode mode, AgentSettings settings, TextWriter notices)
    {
        if (mode == AgentMode.Run) return;
        if (string.IsNullOrWhiteSpace(settings.Storage.Path))
        {
            string folder = Path.Combine(Path.GetTempPath(), $"edgeagent-{mode.ToString().ToLowerInvariant()}-{Ulid.NewUlid()}");
            settings.Storage.Path = Path.Combine(folder, "outbox.db");
            notices.WriteLine($"edgeagent: no Storage:Path configured; using a fresh outbox at {settings.Storage.Path}");
        }
        if (string.IsNullOrWhiteSpace(settings.Privacy.KeyFile))
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(settings.Storage.Path))!;
            settings.Privacy.KeyFile = Path.Combine(folder, "throwaway-unit.key");
            if (!File.Exists(settings.Privacy.KeyFile)) UnitSecret.Create(settings.Privacy.KeyFile);
            notices.WriteLine($"edgeagent: no Privacy:KeyFile configured; using a throwaway key at {settings.Privacy.KeyFile} " +
                              "(its hashes cannot be matched by any backend; `run` requires a real key)");
        }
    }
}
