using Microsoft.Extensions.DependencyInjection;

using EdgeAgent.Core.Profiles;
using EdgeAgent.Settings;

namespace EdgeAgent.Hosting;

/// <summary>Registers the MQTT forwarder when a broker is configured.</summary>
public static class ForwarderRegistration
{
    public static void Add(IServiceCollection services, AgentSettings settings, HardwareProfile profile)
    {
        // Filled in with the Transport's ReadForwarder (being written now).
        _ = services;
        _ = settings;
        _ = profile;
    }
}
