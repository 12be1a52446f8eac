using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Pipeline;

/// <summary>
/// One read per place in a frame. The finder may give two candidates over one plate (a row of dark
/// characters and a row of light ones, the plate's ground between them: it leaves the reader to tell which
/// is right), and both may read; the tracker would start a second pass for the one it does not join to
/// the plate's track. Two reads of one place in one frame are one plate: the surer stays (the first on a
/// tie), and a read where a settled plate was followed without reading goes.
/// </summary>
public static class SamePlaceReads
{
    /// <summary>Boxes overlapping by more than this share of the smaller are one place (the finder's own suppression).</summary>
    public const float Overlap = 0.5f;

    /// <summary>Compacts the first <paramref name="count"/> reads in place; returns how many stay.</summary>
    public static int KeepOnePerPlace(Span<PlateCandidate> boxes, Span<PlateText> texts, int count, ReadOnlySpan<BoxI> followed)
    {
        // Every read is judged before any moves: one dropped still beats a weaker one over it.
        Span<bool> beaten = stackalloc bool[count];
        for (int r = 0; r < count; r++) beaten[r] = Beaten(boxes, texts, count, followed, r);
        int kept = 0;
        for (int r = 0; r < count; r++)
        {
            if (beaten[r]) continue;
            if (kept != r)
            {
                boxes[kept] = boxes[r];
                texts[kept] = texts[r];
            }
            kept++;
        }
        return kept;
    }

    private static bool Beaten(ReadOnlySpan<PlateCandidate> boxes, ReadOnlySpan<PlateText> texts, int count, ReadOnlySpan<BoxI> followed, int r)
    {
        BoxI box = boxes[r].Bounds;
        foreach (BoxI place in followed)
            if (box.IntersectionOverSmaller(place) > Overlap) return true;
        float confidence = texts[r].WeighedConfidence;
        for (int o = 0; o < count; o++)
        {
            if (o == r || box.IntersectionOverSmaller(boxes[o].Bounds) <= Overlap) continue;
            float other = texts[o].WeighedConfidence;
            if (other > confidence || (other == confidence && o < r)) return true;
        }
        return false;
    }
}
