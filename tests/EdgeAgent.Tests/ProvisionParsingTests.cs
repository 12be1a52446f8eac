using EdgeAgent.Cli.Doctor;
using EdgeAgent.Cli.Provisioning;

namespace EdgeAgent.Tests;

public class ProvisionParsingTests
{
    [Theory]
    [InlineData("broker.example.org", false, "broker.example.org", 1883)]
    [InlineData("broker.example.org", true, "broker.example.org", 8883)]
    [InlineData("10.0.0.9:1884", true, "10.0.0.9", 1884)]
    [InlineData("[fd00::17]:8883", false, "fd00::17", 8883)]
    [InlineData("[fd00::17]", true, "fd00::17", 8883)]
    public void ParseBroker_Forms_GiveHostAndPort(string broker, bool tls, string host, int port)
    {
        var (h, p, problem) = ProvisionPlan.ParseBroker(broker, tls);
        Assert.Null(problem);
        Assert.Equal(host, h);
        Assert.Equal(port, p);
    }

    [Theory]
    [InlineData("broker:0", "port '0'")]
    [InlineData("broker:http", "port 'http'")]
    [InlineData("mqtt://broker", "not host:port")]
    [InlineData("[fd00::17", "without ']'")]
    [InlineData("", "not host:port")]
    public void ParseBroker_Wrong_SaysWhy(string broker, string reason)
    {
        var (_, _, problem) = ProvisionPlan.ParseBroker(broker, tls: false);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp://admin:s3cret@192.168.1.64:554/stream1", "rtsp://admin:***@192.168.1.64:554/stream1")]
    [InlineData("rtsp://192.168.1.64/stream1", "rtsp://192.168.1.64/stream1")]
    [InlineData("/dev/video0", "/dev/video0")]
    public void SafeUri_HidesThePasswordOnly(string uri, string shown) => Assert.Equal(shown, CameraCheck.SafeUri(uri));
}
