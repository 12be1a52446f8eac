using System.Globalization;
using System.Text;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;
using EdgeAgent.TestSupport;
using EdgeAgent.Transport.Mosquitto;

using FsCheck;
using FsCheck.Fluent;

namespace EdgeAgent.Tests;

/// <summary>
/// Random and malformed input to every parser the agent has: each either accepts the input or refuses it
/// with ConfigurationProblemException, one message per problem, each naming what is wrong; never another
/// exception, never a half-applied result. FsCheck.Xunit is not served here: properties run inside [Fact]s.
/// </summary>
public class ParserPropertyTests
{
    private static readonly string[] Keys =
    [
        "Camera:Source", "Camera:Profile", "Mqtt:Host", "Mqtt:Port", "Mqtt:Site", "Mqtt:CameraId", "Mqtt:ClientId",
        "Mqtt:KeepAliveSeconds", "Mqtt:MaxInFlight", "Mqtt:DrainRatePerSecond", "Mqtt:TlsCaFile", "Mqtt:TlsCertFile",
        "Mqtt:TlsKeyFile", "Mqtt:Username", "Mqtt:PasswordFile", "Storage:Path", "Storage:MaxBytes", "Storage:MinFreeBytes",
        "Storage:ReserveBytes", "Privacy:KeyFile", "Privacy:TimeZone", "Ocr:TessDataPath", "Ocr:Grammar",
        "Tracking:EndAfterMissedFrames", "Tracking:MinObservations", "Tracking:MinConfidence", "Health:IntervalSeconds",
        "Camera:Sorce", "Mqtt:Prot", "Storage:MaxByte", "Health:Interval", "Bogus:Key",
    ];

    private static readonly Gen<string> Values = Gen.OneOf(
        Gen.Elements("", "0", "-1", "1", "30", "65536", "1e9", "NaN", "-0.5", "0.5", "abc", "9223372036854775808", "true",
            "/nonexistent/file.pem", "Europe/London", "Mars/Olympus", "a/b", "#", "gb", "klingon", "127.0.0.1", "rtsp://u:p@cam/s"),
        Gen.Choose(-100_000, 100_000).Select(i => i.ToString(CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => new string(s.Get.Where(c => c != '\0').ToArray())));

    private static readonly Gen<string[]> SettingArgs =
        Gen.Zip(Gen.Elements(Keys), Values).Select(kv => $"--{kv.Item1}={kv.Item2}").ArrayOf().Select(a => a.Take(8).ToArray());

    [Fact]
    public void Settings_RandomKeysAndValues_StartOrOneNamedMessagePerProblem()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(SettingArgs.ToArbitrary(), args =>
        {
            try
            {
                var settings = SettingsLoader.Bind(SettingsLoader.Build(args));
                SettingsValidator.Validate(settings, AgentMode.Replay, RepoPaths.HardwareProfiles);
            }
            catch (ConfigurationProblemException e)
            {
                Assert.NotEmpty(e.Problems);
                Assert.All(e.Problems, p => Assert.Matches(@"^[A-Za-z]+:[A-Za-z]+|^hardware profile|^Camera:Profile", p));
                Assert.Equal(e.Problems.Count, e.Problems.Distinct().Count());
            }
        }));
    }

    private const string ValidProfile = """
        {"name":"p","description":"d","width":1280,"height":720,"fps":25,"infrared":false,"transport":"rtsp",
         "plateHeightPx":{"min":20,"max":70},"roi":{"x":0,"y":80,"width":1280,"height":640},
         "lanes":[{"name":"1","direction":"eastbound","xMin":0,"xMax":1280}]}
        """;

    private static readonly Gen<string> BrokenProfiles = Gen.OneOf(
        // cut anywhere
        Gen.Choose(0, ValidProfile.Length).Select(n => ValidProfile[..n]),
        // one character replaced by anything
        Gen.Zip(Gen.Choose(0, ValidProfile.Length - 1), ArbMap.Default.GeneratorFor<char>())
            .Select(t => new StringBuilder(ValidProfile) { [t.Item1] = t.Item2 }.ToString()),
        // one number replaced by a random value or a string
        Gen.Zip(Gen.Elements("1280", "720", "25", "20", "70", "80", "640", "0"), Gen.Elements("-1", "0", "99999999999", "1.5", "\"x\"", "null", "[]", "{}"))
            .Select(t => ReplaceOnce(ValidProfile, t.Item1, t.Item2)),
        // a field renamed (a typo)
        Gen.Elements("\"fps\"", "\"lanes\"", "\"roi\"", "\"xMax\"", "\"transport\"", "\"min\"").Select(f => ReplaceOnce(ValidProfile, f, f.Insert(2, "q"))),
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get));

    [Fact]
    public void HardwareProfile_MalformedJson_LoadsOrSaysWhatIsWrong()
    {
        Check.QuickThrowOnFailure(Prop.ForAll(BrokenProfiles.ToArbitrary(), json =>
        {
            try
            {
                HardwareProfile p = HardwareProfileLoader.Parse(json, "fuzz.json");
                Assert.True(p.Width > 0 && p.Height > 0 && p.Fps > 0);
            }
            catch (ConfigurationProblemException e)
            {
                Assert.Equal("hardware profile fuzz.json", e.Subject);
                Assert.NotEmpty(e.Problems);
                Assert.All(e.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p)));
            }
        }));
    }

    [Fact]
    public void SourceNames_RandomCredentialsInTheUrl_NeverSurviveRedaction()
    {
        var secrets = ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => new string(s.Get.Where(char.IsLetterOrDigit).ToArray()))
            .Where(s => s.Length >= 4);
        Check.QuickThrowOnFailure(Prop.ForAll(Gen.Zip(secrets, secrets).ToArbitrary(), t =>
        {
            string url = $"rtsp://{t.Item1}:{t.Item2}@camera.local:554/stream/{t.Item2[..1]}";
            string shown = SourceNames.Redact(url);
            Assert.DoesNotContain($"{t.Item1}:{t.Item2}@", shown, StringComparison.Ordinal);
            Assert.StartsWith("rtsp://***@camera.local:554/stream/", shown, StringComparison.Ordinal);
        }));
    }

    [Fact]
    public void MqttOptions_AnyPassword_NeverAppearsInTheirText()
    {
        var passwords = ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get).Where(s => s.Trim().Length >= 3 && !"mqtt://127.0.0.1:1883 client=x protocol=V5 user=u password=***".Contains(s, StringComparison.Ordinal));
        Check.QuickThrowOnFailure(Prop.ForAll(passwords.ToArbitrary(), password =>
        {
            var options = new MosquittoClientOptions { Host = "127.0.0.1", ClientId = "x", Username = "u", Password = password };
            Assert.DoesNotContain(password, options.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(password, options.Validate() ?? "", StringComparison.Ordinal);
        }));
    }

    private static string ReplaceOnce(string text, string what, string with)
    {
        int at = text.IndexOf(what, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + what.Length));
    }
}
