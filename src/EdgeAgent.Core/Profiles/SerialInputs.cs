namespace EdgeAgent.Core.Profiles;

/// <summary>The serial inputs of a unit: a vehicle trigger (loop detector) and a GPS receiver, each optional.</summary>
public sealed record SerialInputs(TriggerInput? Trigger, GpsInput? Gps)
{
    public static readonly SerialInputs None = new(null, null);

    public bool Any => Trigger is not null || Gps is not null;
}

/// <summary>A loop detector's serial output: one line per vehicle (README "Serial inputs").</summary>
/// <param name="MatchWindow">How far before the plate is first seen and after it is last seen a vehicle
/// on the loop still counts as this vehicle (the loop sits a few metres from where plates are read).</param>
public sealed record TriggerInput(string Device, int Baud, TimeSpan MatchWindow);

/// <summary>A GPS receiver's NMEA 0183 output (GGA and RMC).</summary>
/// <param name="ClockTolerance">The box's clock counts as synchronised by GPS when within this of GPS time.</param>
public sealed record GpsInput(string Device, int Baud, TimeSpan ClockTolerance);
