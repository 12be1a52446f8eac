using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Tracking;

/// <summary>
/// Turns the reads of one track into one pass. The most supported length wins; then each position is
/// decided by the frames as evidence: a frame that read a character with probability q says "this
/// character, q sure" and spreads the rest of its belief over the other 35, and the frames' log
/// beliefs add (tempered, because frames of one vehicle share their blur and dirt). The confidence is
/// the probability the whole text is right under that evidence (the product of the positions'
/// posteriors) times the share of the reads that agree on the length, less for a text that fits no
/// format, and less for a pass seen in few frames: a probability, which replay --truth checks bin by bin.
/// </summary>
internal sealed class PassVoter
{
    private const int Symbols = 36;  // A-Z, 0-9
    /// <summary>How much one frame's belief counts: frames of one pass are far from independent.</summary>
    private const float FrameTemper = 0.5f;
    /// <summary>A read that fits no plate format is weaker evidence.</summary>
    private const float UnmatchedTemper = 0.25f;
    private readonly float[] _lengthWeight = new float[PlateText.Capacity + 1];
    private readonly float[] _logBelief = new float[PlateText.Capacity * Symbols];

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

        Array.Clear(_logBelief);
        for (int i = 0; i < reads.Length; i++)
        {
            if (reads[i].Length != length) continue;
            float temper = reads[i].MatchesGrammar ? FrameTemper : UnmatchedTemper;
            for (int p = 0; p < length; p++)
            {
                int s = SymbolIndex(reads[i][p]);
                if (s < 0) continue;
                float q = Math.Clamp(reads[i].ConfidenceAt(p), 0.05f, 0.995f);
                float rest = MathF.Log((1 - q) / (Symbols - 1));
                Span<float> row = _logBelief.AsSpan(p * Symbols, Symbols);
                for (int k = 0; k < Symbols; k++) row[k] += temper * (k == s ? MathF.Log(q) : rest);
            }
        }

        Span<char> text = stackalloc char[length];
        float textProbability = 1;
        for (int p = 0; p < length; p++)
        {
            ReadOnlySpan<float> row = _logBelief.AsSpan(p * Symbols, Symbols);
            int best = 0;
            for (int k = 1; k < Symbols; k++)
                if (row[k] > row[best]) best = k;
            float sum = 0;
            for (int k = 0; k < Symbols; k++) sum += MathF.Exp(row[k] - row[best]);
            text[p] = SymbolChar(best);
            textProbability *= 1 / sum;
        }
        float lengthShare = _lengthWeight[length] / total;
        // A pass seen in two frames has had little chance to be contradicted.
        float support = 1f - MathF.Exp(-reads.Length / 3f);

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
        bool grammar = found && matching.MatchesGrammar;

        return new VehiclePass
        {
            Text = new string(text),
            Country = found ? matching.Country : CountryCode.Unknown,
            Layout = found ? matching.Layout : PlateLayout.Unknown,
            MatchesGrammar = grammar,
            Confidence = Math.Clamp(textProbability * lengthShare * support * (grammar ? 1f : 0.5f), 0f, 1f),
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
