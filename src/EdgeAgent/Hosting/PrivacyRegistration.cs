using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Platform;
using EdgeAgent.Privacy.Evidence;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Settings;
using EdgeAgent.Storage;
using EdgeAgent.Storage.Audit;
using EdgeAgent.Storage.Evidence;
using EdgeAgent.Transport;
using EdgeAgent.Vision.Redaction;

namespace EdgeAgent.Hosting;

/// <summary>
/// Registers the privacy parts: the audit chain, the sharing policy (and its file and MQTT offers), the
/// evidence store and the redaction worker, the retention job, and (with a broker) the control channel
/// for evidence requests, policies and the audit head. Called before the camera service is registered,
/// so the evidence worker is running before the first pass.
/// </summary>
public static class PrivacyRegistration
{
    public static void Add(IServiceCollection services, AgentSettings settings, HardwareProfile profile)
    {
        // IAuditLog (the chain beside the outbox, or at Privacy:AuditPath) is registered with the outbox, which audits evictions.
        services.AddSingleton(sp => new PolicyStore(settings.Privacy.ResolveAcceptedPolicyPath(settings.Storage.Path),
            string.IsNullOrWhiteSpace(settings.Privacy.AuthorityKeyFile) ? null : AuthorityKey.Load(settings.Privacy.AuthorityKeyFile),
            sp.GetRequiredService<IAuditLog>()));
        services.AddSingleton(sp => new PolicyRoutes(sp.GetRequiredService<PolicyStore>(), settings.Mqtt.Site));
        services.AddSingleton(sp => new PolicyService(settings.Privacy, sp.GetRequiredService<PolicyStore>(), sp.GetRequiredService<ILogger<PolicyService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<PolicyService>());

        services.AddSingleton(_ => new SqliteEvidenceStore(settings.Storage.Path));
        services.AddSingleton<IEvidenceStore>(sp => sp.GetRequiredService<SqliteEvidenceStore>());
        if (settings.Evidence.Enabled)
        {
            services.AddSingleton(sp =>
            {
                var recorder = new EvidenceRecorder(sp.GetRequiredService<IEvidenceStore>(), sp.GetRequiredService<IAuditLog>(), profile,
                    new RedactorOptions { CascadeFolder = settings.Evidence.CascadeFolder },
                    new EvidenceLimits
                    {
                        QueueLength = settings.Evidence.QueueLength,
                        MaxBytes = settings.Evidence.MaxBytes,
                        // Twice the outbox's own floor: images give way well before the outbox has to evict reads.
                        MinFreeBytes = 2 * settings.Storage.MinFreeBytes,
                        FreeBytes = () => DiskSpace.FreeBytes(Path.GetDirectoryName(Path.GetFullPath(settings.Storage.Path))!),
                    },
                    sp.GetRequiredService<ILogger<EvidenceRecorder>>());
                sp.GetRequiredService<ReadRecorder>().EvidenceCommitted = recorder.TryEnqueue;
                return recorder;
            });
            services.AddHostedService(sp => sp.GetRequiredService<EvidenceRecorder>());
            services.AddSingleton<IDrainable>(sp => sp.GetRequiredService<EvidenceRecorder>());
        }
        services.AddSingleton(sp => new RetentionService(settings.Retention, sp.GetRequiredService<SqliteOutbox>(), sp.GetRequiredService<IEvidenceStore>(),
            sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RetentionService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());

        if (string.IsNullOrWhiteSpace(settings.Mqtt.Host)) return;
        var topics = new Topics(settings.Mqtt.Site, settings.Mqtt.CameraId);
        services.AddSingleton(sp => new EvidenceDisclosure(sp.GetRequiredService<IEvidenceStore>(), sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<PolicyStore>(), settings.Mqtt.Site,
            settings.Camera.EffectiveSources(settings.Mqtt.CameraId).Select(c => c.Id).ToArray()));
        services.AddSingleton(sp =>
        {
            PrivacyChannelService? service = null;
            var forwarderMqtt = ForwarderRegistration.MqttOptions(settings);
            var mqtt = forwarderMqtt with { ClientId = forwarderMqtt.ClientId + "-privacy" };
            var channel = new ControlChannel(mqtt, (topic, payload) => service!.Handle(topic, payload),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<ControlChannel>());
            service = new PrivacyChannelService(channel, topics, sp.GetRequiredService<EvidenceDisclosure>(), sp.GetRequiredService<PolicyService>(),
                sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<UnitSecret>(), TimeSpan.FromSeconds(settings.Privacy.AuditHeadSeconds),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PrivacyChannelService>>());
            return service;
        });
        services.AddHostedService(sp => sp.GetRequiredService<PrivacyChannelService>());
    }
}
