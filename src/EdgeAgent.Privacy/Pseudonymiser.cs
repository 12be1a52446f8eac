using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Privacy.Keys;

namespace EdgeAgent.Privacy;

/// <summary>Where a read was made: the unit's site and camera ids and its profile's lanes.</summary>
public sealed record ReadOrigin(string Site, string Camera, HardwareProfile Profile);

/// <summary>
/// The point where the registration is dropped: a <see cref="VehiclePass"/> (raw text) becomes a
/// <see cref="PlateReadEvent"/> (keyed hash and metadata). Nothing after this sees the plate.
/// </summary>
public sealed class Pseudonymiser(PlateHasher hasher, ReadOrigin origin)
{
    public PlateReadEvent Pseudonymise(VehiclePass pass, ClockState clock)
    {
        DateOnly day = hasher.ChargingDay(pass.LastSeen);
        var lane = origin.Profile.LaneAt(pass.BestBox.CenterX);
        return new PlateReadEvent
        {
            Id = Ulid.NewUlid(pass.LastSeen).ToString(),
            Time = pass.LastSeen,
            Site = origin.Site,
            Camera = string.IsNullOrEmpty(pass.CameraId) ? origin.Camera : pass.CameraId,
            Lane = lane.Name,
            Direction = lane.Direction,
            PlateHash = hasher.Hash(pass.Country, pass.Text, day),
            KeyId = hasher.KeyIdFor(day),
            Confidence = pass.Confidence,
            Layout = pass.Layout,
            MatchesGrammar = pass.MatchesGrammar,
            Clock = clock,
            Frames = pass.Observations,
        };
    }
}
