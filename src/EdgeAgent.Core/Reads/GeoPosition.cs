namespace EdgeAgent.Core.Reads;

/// <summary>Where the unit is (WGS84 degrees, north and east positive), from its GPS receiver.</summary>
public sealed record GeoPosition(double Latitude, double Longitude);
