using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Settings;
using EdgeAgent.Transport;
using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Hosting;

/// <summary>Registers the MQTT forwarder when a broker is configured; without one, reads stay in the outbox.</summary>
public static class ForwarderRegistration
{
    /// <summary>How to reach the broker: shared by the forwarder and the privacy control channel (which adds "-privacy" to the client id).</summary>
    public static MosquittoClientOptions MqttOptions(AgentSettings settings) => new()
    {
        Host = settings.Mqtt.Host,
        Port = settings.Mqtt.Port,
        ClientId = string.IsNullOrWhiteSpace(settings.Mqtt.ClientId) ? $"edgeagent-{settings.Mqtt.Site}-{settings.Mqtt.CameraId}" : settings.Mqtt.ClientId,
        KeepAlive = TimeSpan.FromSeconds(settings.Mqtt.KeepAliveSeconds),
        Tls = LinkSecurity.Tls(settings.Mqtt),
        Username = string.IsNullOrWhiteSpace(settings.Mqtt.Username) ? null : settings.Mqtt.Username,
        Password = LinkSecurity.Password(settings.Mqtt),
    };

    public static void Add(IServiceCollection services, AgentSettings settings, HardwareProfile profile)
    {
        if (string.IsNullOrWhiteSpace(settings.Mqtt.Host)) return;
        services.AddSingleton(sp =>
        {
            MosquittoClientOptions mqtt = MqttOptions(settings);
            var options = new ReadForwarderOptions
            {
                MaxInFlight = settings.Mqtt.MaxInFlight,
                DrainRatePerSecond = settings.Mqtt.DrainRatePerSecond,
                AgentVersion = AgentVersion.Current,
                Profile = profile.Name,
                // One message per recipient of the sharing policy in force, each with the fields it may have.
                Routes = sp.GetRequiredService<PolicyRoutes>().Current,
            };
            var forwarder = new ReadForwarder(sp.GetRequiredService<IOutbox>(), new Topics(settings.Mqtt.Site, settings.Mqtt.CameraId), mqtt,
                options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<ReadForwarder>());
            sp.GetRequiredService<ReadRecorder>().Committed = forwarder.Nudge;
            return forwarder;
        });
        services.AddSingleton<ForwarderService>();
        services.AddSingleton<IDrainable>(sp => sp.GetRequiredService<ForwarderService>());
        services.AddHostedService(sp => sp.GetRequiredService<ForwarderService>());
    }
}

/// <summary>Runs the forwarder for the host's lifetime; a finite run waits on it to drain.</summary>
public sealed class ForwarderService(ReadForwarder forwarder) : BackgroundService, IDrainable
{
    public ReadForwarder Forwarder => forwarder;

    public Task<bool> WaitUntilDrainedAsync(TimeSpan timeout, CancellationToken cancellation) =>
        forwarder.WaitUntilDrainedAsync(timeout, cancellation);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => forwarder.RunAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await forwarder.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The agent's version, for the birth message and logs.</summary>
public static class AgentVersion
{
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
