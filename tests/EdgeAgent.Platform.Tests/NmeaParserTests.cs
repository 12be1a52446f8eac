using System.Text;

using FsCheck;
using FsCheck.Fluent;

using EdgeAgent.Platform.Serial;

namespace EdgeAgent.Platform.Tests;

public class NmeaParserTests
{
    private static NmeaResult Parse(string line) => NmeaParser.Parse(Encoding.ASCII.GetBytes(line));

    [Fact]
    public void Parse_RealGgaFromAReceiver_GivesTheFix()
    {
        // A u-blox receiver's output, checksum as sent.
        NmeaResult r = Parse("$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*76");
        Assert.Equal(NmeaOutcome.Parsed, r.Outcome);
        GgaSentence gga = r.Gga!;
        Assert.Equal(new TimeOnly(9, 27, 50), gga.UtcTime);
        Assert.Equal(53 + 21.6802 / 60, gga.Latitude!.Value, 9);
        Assert.Equal(-(6 + 30.3372 / 60), gga.Longitude!.Value, 9);
        Assert.Equal(1, gga.Quality);
        Assert.Equal(8, gga.Satellites);
        Assert.Equal(1.03, gga.Hdop);
        Assert.True(gga.HasFix);
    }

    [Fact]
    public void Parse_RealRmc_GivesDateTimeAndPosition()
    {
        NmeaResult r = Parse("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A");
        Assert.Equal(NmeaOutcome.Parsed, r.Outcome);
        RmcSentence rmc = r.Rmc!;
        Assert.True(rmc.Valid);
        Assert.Equal(new DateTimeOffset(2094, 3, 23, 12, 35, 19, TimeSpan.Zero), rmc.UtcDateTime);  // two-digit years are 20yy
        Assert.Equal(48 + 7.038 / 60, rmc.Latitude!.Value, 9);
        Assert.Equal(11 + 31.0 / 60, rmc.Longitude!.Value, 9);
        Assert.Equal(22.4, rmc.SpeedKnots);
    }

    [Fact]
    public void Parse_NoFixYet_IsParsedWithoutAPosition()
    {
        NmeaResult gga = Parse(Nmea.Sentence("GPGGA,,,,,,0,00,99.99,,,,,,"));
        Assert.Equal(NmeaOutcome.Parsed, gga.Outcome);
        Assert.False(gga.Gga!.HasFix);
        NmeaResult rmc = Parse(Nmea.Sentence("GNRMC,,V,,,,,,,,,,N"));
        Assert.Equal(NmeaOutcome.Parsed, rmc.Outcome);
        Assert.False(rmc.Rmc!.Valid);
        Assert.Null(rmc.Rmc.UtcDateTime);
    }

    [Theory]
    [InlineData("$GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00*74")]
    [InlineData("$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K*48")]
    [InlineData("$PUBX,00,081350.00,4717.113210,N,00833.915187,E,546.589,G3,2.1,2.0,0.007,77.52,0.007,,0.92,1.19,0.77,9,0,0*5F")]
    public void Parse_OtherSentences_AreIgnoredNotMalformed(string line) =>
        Assert.Equal(NmeaOutcome.Ignored, Parse(line).Outcome);

    [Theory]
    [InlineData("GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*76", "'$'")]
    [InlineData("$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*77", "checksum")]
    [InlineData("$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,", "checksum")]
    [InlineData("$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*ZZ", "hex")]
    [InlineData("$GPGGA,0927\u00ff0.000,5321.6802,N*00", "ASCII")]
    public void Parse_Noise_IsMalformedWithTheReason(string line, string reason)
    {
        NmeaResult r = NmeaParser.Parse(Encoding.Latin1.GetBytes(line));
        Assert.Equal(NmeaOutcome.Malformed, r.Outcome);
        Assert.Contains(reason, r.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GPGGA,256199,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,", "time")]
    [InlineData("GPGGA,092750,9321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,", "latitude")]
    [InlineData("GPGGA,092750,5321.6802,X,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,", "latitude")]
    [InlineData("GPGGA,092750,5321.6802,N,18130.3372,W,1,8,1.03,61.7,M,55.2,M,,", "longitude")]
    [InlineData("GPGGA,092750,5321.6802,N,00630.3372,W,x,8,1.03,61.7,M,55.2,M,,", "quality")]
    [InlineData("GPGGA,092750,5321.6802", "fields")]
    [InlineData("GPRMC,123519,Q,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W", "status")]
    [InlineData("GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,310294,003.1,W", "date")]
    [InlineData("gpRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W", "address")]
    public void Parse_GoodChecksumBadFields_IsMalformed(string body, string reason)
    {
        NmeaResult r = Parse(Nmea.Sentence(body));
        Assert.Equal(NmeaOutcome.Malformed, r.Outcome);
        Assert.Contains(reason, r.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnyBytes_NeverThrows()
    {
        Arbitrary<byte[]> bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).ToArbitrary();
        Check.QuickThrowOnFailure(Prop.ForAll(bytes, b => NmeaParser.Parse(b).Outcome is NmeaOutcome.Parsed or NmeaOutcome.Ignored or NmeaOutcome.Malformed));
    }

    [Fact]
    public void Parse_SentenceLikeNoise_NeverThrows()
    {
        // Noise that gets past the first checks: '$', a valid checksum, commas and digits in random places.
        Gen<string> body = Gen.ArrayOf(Gen.Elements("GPGGA", "GNRMC", ",", "1", "0", ".", "N", "W", "A", "V", "-", "99", "123519", "4807.038", ""))
            .Select(parts => string.Concat(parts));
        Check.QuickThrowOnFailure(Prop.ForAll(body.ToArbitrary(), b => Parse(Nmea.Sentence(b)).Outcome != (NmeaOutcome)99));
    }

    [Fact]
    public void Parse_RandomPositions_RoundTripAndAnyChangedCharacterIsCaught()
    {
        Gen<(double Lat, double Lon, int Flip)> cases =
            from lat in Gen.Choose(-89_999_999, 89_999_999)
            from lon in Gen.Choose(-179_999_999, 179_999_999)
            from flip in Gen.Choose(1, 40)
            select (lat / 1e6, lon / 1e6, flip);
        var when = new DateTimeOffset(2026, 11, 23, 16, 11, 23, 450, TimeSpan.Zero);
        Check.QuickThrowOnFailure(Prop.ForAll(cases.ToArbitrary(), c =>
        {
            string line = Nmea.Rmc(when, c.Lat, c.Lon, "GN");
            RmcSentence rmc = Parse(line).Rmc!;
            bool roundTrips = Math.Abs(rmc.Latitude!.Value - c.Lat) < 1e-6 && Math.Abs(rmc.Longitude!.Value - c.Lon) < 1e-6 && rmc.UtcDateTime == when;
            // One character changed on the wire (noise) must never pass as a good sentence.
            char[] noisy = line.ToCharArray();
            int at = 1 + c.Flip % (line.IndexOf('*', StringComparison.Ordinal) - 1);
            noisy[at] = noisy[at] == '7' ? '8' : '7';
            return roundTrips && Parse(new string(noisy)).Outcome == NmeaOutcome.Malformed;
        }));
    }
}
