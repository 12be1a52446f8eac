using System.Diagnostics;

using EdgeAgent.TestSupport;

namespace EdgeAgent.Transport.Tests;

/// <summary>The broker fixture itself: the outage tests are only as good as its stop, kill and restart.</summary>
[Trait("Category", "Integration")]
public sealed class MosquittoBrokerTests
{
    [Fact]
    public async Task RestartAsync_AfterKill_ListensOnTheSamePortWithANewProcess()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        int port = broker.Port, pid = broker.Pid;

        broker.Kill();
        Assert.False(broker.IsRunning);
        await broker.RestartAsync();

        Assert.Equal(port, broker.Port);
        Assert.NotEqual(pid, broker.Pid);
        await using var capture = await MqttCapture.StartAsync(broker, "x");   // it answers MQTT again
    }

    [Fact]
    public async Task Dispose_RunningBroker_EndsTheProcess()
    {
        int pid;
        await using (var broker = await MosquittoBroker.StartAsync())
        {
            pid = broker.Pid;
            Assert.True(broker.IsRunning);
        }

        Assert.True(Exited(pid), $"mosquitto pid {pid} still runs after Dispose");
    }

    [Fact]
    public async Task StartAsync_Always_BindsLoopbackOnly()
    {
        await using var broker = await MosquittoBroker.StartAsync();

        Assert.Equal("127.0.0.1", broker.Host);
        Assert.Contains($"Opening ipv4 listen socket on port {broker.Port}", broker.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("ipv6", broker.Log, StringComparison.OrdinalIgnoreCase);
    }

    private static bool Exited(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited || p.WaitForExit(5_000);
        }
        catch (ArgumentException)
        {
            return true;   // no such process
        }
    }
}
