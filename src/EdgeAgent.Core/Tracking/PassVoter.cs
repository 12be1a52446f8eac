using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Tracking;

/// <summary>
/// Turns the reads of one track into one pass: the most supported length wins, then each position takes
/// the character with the most weight. Confidence is the weighted agreement of the frames times their
/// mean character confidence, so a pass read the same way in many frames scores high.
/// </summary>
internal sealed class PassVoter
{
    private const int Symbols = 36;  // A-Z, 0-9
    private readonly float[] _lengthWeight = new float[PlateText.Capacity + 1];
    private readonly float[] _charWeight = new float[PlateText.Capacity * Symbols];
    private readonly float[] _charConfidence = new float[PlateText.Capacity * Symbols];

    public VehiclePass? Vote(Track track, string cameraId)
    {
        ReadOnlySpan<PlateText> reads = track.Reads;
        ReadOnlySpan<float> weights = track.Weights;
        Array.Clear(_lengthWeight);
        float total = 0;
        for (int i = 0; i < reads.Length; i++)
        {
            _lengthWeight[reads[i].Length] += weights[i];
            total += weights[i];
        }
        int length = 0;
        for (int l = 1; l < _lengthWeight.Length; l++)
            if (_lengthWeight[l] > _lengthWeight[length]) length = l;
        if (length < 2 || total <= 0) return null;

        Array.Clear(_charWeight);
        Array.Clear(_charConfidence);
        for (int i = 0; i < reads.Length; i++)
        {
            if (reads[i].Length != length) continue;
            for (int p = 0; p < length; p++)
            {
                int s = SymbolIndex(reads[i][p]);
                if (s < 0) continue;
                _charWeight[p * Symbols + s] += weights[i];
                _charConfidence[p * Symbols + s] += weights[i] * reads[i].ConfidenceAt(p);
            }
        }

        Span<char> text = stackalloc char[length];
        float agreement = 0, confidence = 0;
        for (int p = 0; p < length; p++)
        {
            int best = 0;
            float positionTotal = 0;
            for (int s = 0; s < Symbols; s++)
            {
                positionTotal += _charWeight[p * Symbols + s];
                if (_charWeight[p * Symbols + s] > _charWeight[p * Symbols + best]) best = s;
            }
            float winner = _charWeight[p * Symbols + best];
            if (winner <= 0) return null;
            text[p] = SymbolChar(best);
            agreement += winner / positionTotal;
            confidence += _charConfidence[p * Symbols + best] / winner;
        }
        agreement /= length;
        confidence /= length;
        float lengthShare = _lengthWeight[length] / total;
        // More frames agreeing make a read more trustworthy; a pass seen in two frames is not sure of itself.
        float support = 1f - MathF.Exp(-reads.Length / 4f);

        PlateText matching = default;
        bool found = false;
        float matchingWeight = -1;
        for (int i = 0; i < reads.Length; i++)
        {
            if (reads[i].Chars.SequenceEqual(text) && weights[i] > matchingWeight)
            {
                matching = reads[i];
                matchingWeight = weights[i];
                found = true;
            }
        }

        return new VehiclePass
        {
            Text = new string(text),
            Country = found ? matching.Country : CountryCode.Unknown,
            Layout = found ? matching.Layout : PlateLayout.Unknown,
            MatchesGrammar = found && matching.MatchesGrammar,
            Confidence = Math.Clamp(agreement * confidence * lengthShare * support * (found && matching.MatchesGrammar ? 1f : 0.5f), 0f, 1f),
            Observations = track.Observations,
            FirstFrame = track.FirstFrame,
            LastFrame = track.LastFrame,
            FirstSeen = track.FirstSeen,
            LastSeen = track.LastSeen,
            BestFrame = track.BestFrame,
            BestBox = track.BestBox,
            CameraId = cameraId,
        };
    }

    private static int SymbolIndex(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= '0' and <= '9' => 26 + (c - '0'),
        _ => -1,
    };

    private static char SymbolChar(int s) => s < 26 ? (char)('A' + s) : (char)('0' + s - 26);
}
