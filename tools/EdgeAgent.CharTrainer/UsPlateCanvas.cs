namespace EdgeAgent.CharTrainer;

/// <summary>
/// US-style plates: the 12 x 6 inch (305 x 152 mm) blank with 5-7 narrow, tall characters in a condensed
/// plate-like face, a state name above and a slogan below, a light pictorial ground (gradients, stripes,
/// a silhouette), embossed characters (a shadow and a lit rim beside each stroke), strokes of varying
/// weight, a separator or emblem between the groups, stickers, bolts and a dealer's frame. The DVLA-style
/// plates of the other canvas teach none of this, and the held-out US photos are read worst.
/// </summary>
internal sealed partial class PlateCanvas
{
    private const int UsWidth = 305, UsHeight = 152;

    public static PlateCanvas DrawUs(GlyphSet font, GlyphSet labelFont, string display, Random rng)
    {
        double charH = 56 + (rng.NextDouble() * 24);
        double widthScale = 0.75 + (rng.NextDouble() * 0.4);
        double spacing = charH * (0.03 + (rng.NextDouble() * 0.1));
        string[] groups = display.Split(' ');
        double groupGap = groups.Length > 1 ? charH * (0.2 + (rng.NextDouble() * 0.5)) : 0;
        var widths = new List<double>();
        foreach (char c in display.Replace(" ", "", StringComparison.Ordinal))
        {
            Glyph g = font[c];
            widths.Add(g.Width * charH / g.Height * widthScale);
        }
        double TextWidth() => widths.Sum() + ((widths.Count - groups.Length) * spacing) + ((groups.Length - 1) * groupGap);
        double room = UsWidth - 24;
        if (TextWidth() > room)
        {
            // Squeeze the characters (not the gaps) until the registration fits the blank, as plate makers do.
            double fixedPart = ((widths.Count - groups.Length) * spacing) + ((groups.Length - 1) * groupGap);
            double squeeze = Math.Max(0.3, (room - fixedPart) / widths.Sum());
            for (int i = 0; i < widths.Count; i++) widths[i] *= squeeze;
        }
        double textW = TextWidth();
        var canvas = new PlateCanvas(UsWidth, UsHeight) { TextHeight = charH, TextWidth = textW };

        bool inverted = rng.NextDouble() < 0.06;
        float ground = (float)(150 + (rng.NextDouble() * 100));
        float ink = (float)(rng.NextDouble() * Math.Min(110, ground - 60));
        if (inverted) (ground, ink) = (ink + 25, ground);
        canvas.Inverted = inverted;
        canvas.PictorialGround(rng, ground, inverted);

        double x0 = (UsWidth - textW) / 2, y0 = ((UsHeight - charH) / 2) + ((rng.NextDouble() - 0.3) * 12);
        if (rng.NextDouble() < 0.85) canvas.Caption(labelFont, rng, 3, y0 - 3, 13, 26, ground);
        if (rng.NextDouble() < 0.6) canvas.Caption(labelFont, rng, y0 + charH + 3, UsHeight - 3, 7, 13, ground);

        bool embossed = !inverted && rng.NextDouble() < 0.5;
        double shadowDx = (rng.NextDouble() - 0.5) * 5, shadowDy = 0.5 + (rng.NextDouble() * 2.5);
        float shadow = ground * (float)(0.55 + (rng.NextDouble() * 0.3)), rim = Math.Min(255, ground + 30 + (float)(rng.NextDouble() * 40));
        double bold = rng.NextDouble() < 0.35 ? 0.5 + (rng.NextDouble() * 2) : 0;   // millimetres of extra stroke
        int wi = 0;
        for (int gi = 0; gi < groups.Length; gi++)
        {
            foreach (char c in groups[gi])
            {
                double w = widths[wi++];
                if (embossed)
                {
                    canvas.DrawGlyph(font[c], x0 - (shadowDx * 0.5), y0 - (shadowDy * 0.5), w, charH, rim);
                    canvas.DrawGlyph(font[c], x0 + shadowDx, y0 + shadowDy, w, charH, shadow);
                }
                for (double b = 0; b <= bold; b += 0.5)
                    canvas.DrawGlyph(font[c], x0 + b - (bold / 2), y0 + ((b - (bold / 2)) * 0.3), w, charH, ink);
                canvas.CharCentres.Add((x0 + (w / 2), y0 + (charH / 2)));
                x0 += w + spacing;
            }
            if (gi < groups.Length - 1)
            {
                x0 += groupGap - spacing;
                canvas.UsSeparator(rng, x0 - groupGap + spacing, groupGap - (2 * spacing), y0, charH, ink);
            }
        }
        if (rng.NextDouble() < 0.5) canvas.Sticker(rng, ground);
        if (rng.NextDouble() < 0.5) canvas.Bolts(rng);
        if (rng.NextDouble() < 0.35) canvas.DealerFrame(labelFont, rng);
        return canvas;
    }

    // A light ground with what states print on it: a vertical gradient (a sunset), a stripe across the
    // top, and a silhouette (a cactus, a skyline, a bird) behind or beside the characters.
    private void PictorialGround(Random rng, float ground, bool inverted)
    {
        float top = (float)((rng.NextDouble() - 0.5) * 60), bottom = (float)((rng.NextDouble() - 0.5) * 60);
        for (int y = 0; y < Height; y++)
        {
            float t = y / (float)Height, v = ground + (inverted ? 0 : top + ((bottom - top) * t));
            for (int x = 0; x < Width; x++) _pixels[(y * Width) + x] = v;
        }
        if (rng.NextDouble() < 0.35) Fill(0, 0, Width, 12 + (rng.NextDouble() * 22), (float)(rng.NextDouble() * 255));
        int shapes = rng.NextDouble() < 0.5 ? rng.Next(1, 4) : 0;
        for (int i = 0; i < shapes; i++)
        {
            double cx = rng.NextDouble() * Width, cy = Height * (0.3 + (rng.NextDouble() * 0.6));
            double rx = 8 + (rng.NextDouble() * 60), ry = 8 + (rng.NextDouble() * 50);
            Ellipse(cx, cy, rx, ry, Math.Clamp(ground + (float)((rng.NextDouble() - 0.5) * 100), 0, 255));
        }
        if (rng.NextDouble() < 0.15) Glare(rng);
    }

    // A state name above or a slogan below: a line of letters in another face, ink of any tone.
    private void Caption(GlyphSet font, Random rng, double yTop, double yBottom, double minH, double maxH, float ground)
    {
        double h = Math.Min(yBottom - yTop, minH + (rng.NextDouble() * (maxH - minH)));
        if (h < 5) return;
        float tone = (float)(rng.NextDouble() * 255);
        if (Math.Abs(tone - ground) < 40) tone = ground > 128 ? tone * 0.4f : Math.Min(255, tone + 120);
        int letters = rng.Next(4, 14);
        double squeeze = 0.7 + (rng.NextDouble() * 0.6);
        var glyphs = Enumerable.Range(0, letters).Select(_ => font[GlyphSet.Characters[rng.Next(26)]]).ToList();
        double total = glyphs.Sum(g => (g.Width * h / g.Height * squeeze) + (h * 0.12));
        if (total > Width - 20) squeeze *= (Width - 20) / total;
        total = Math.Min(total, Width - 20);
        double x = (Width - total) / 2, y = yTop + ((yBottom - yTop - h) * rng.NextDouble());
        foreach (Glyph g in glyphs)
        {
            double w = g.Width * h / g.Height * squeeze;
            DrawGlyph(g, x, y, w, h, tone);
            x += w + (h * 0.12 * squeeze);
        }
    }

    // Between the groups: a dash, a state outline or emblem, a heart, or nothing but the gap.
    private void UsSeparator(Random rng, double x, double w, double y, double charH, float ink)
    {
        double roll = rng.NextDouble();
        if (w < 3 || roll > 0.6) return;
        if (roll < 0.25)
            Fill(x + (w * 0.15), y + (charH * 0.44), w * 0.7, charH * (0.06 + (rng.NextDouble() * 0.06)), ink);
        else
            Ellipse(x + (w / 2), y + (charH * (0.35 + (rng.NextDouble() * 0.3))), Math.Max(2, w * (0.2 + (rng.NextDouble() * 0.25))),
                charH * (0.1 + (rng.NextDouble() * 0.25)), (float)(rng.NextDouble() * 255));
    }

    // A registration sticker in a corner, with a digit or two on it.
    private void Sticker(Random rng, float ground)
    {
        double w = 18 + (rng.NextDouble() * 14), h = 12 + (rng.NextDouble() * 10);
        double x = rng.NextDouble() < 0.5 ? 6 + (rng.NextDouble() * 10) : Width - w - 6 - (rng.NextDouble() * 10);
        double y = rng.NextDouble() < 0.7 ? 4 + (rng.NextDouble() * 6) : Height - h - 4 - (rng.NextDouble() * 6);
        float tone = (float)(rng.NextDouble() * 255);
        Fill(x, y, w, h, tone);
        if (rng.NextDouble() < 0.5) Fill(x + (w * 0.2), y + (h * 0.25), w * 0.6, h * 0.5, tone > 128 ? tone - 90 : Math.Min(255, ground));
    }

    private void Bolts(Random rng)
    {
        float tone = (float)(rng.NextDouble() * 200);
        double r = 3 + (rng.NextDouble() * 3), dx = 80 + (rng.NextDouble() * 15);
        bool bottom = rng.NextDouble() < 0.4;
        foreach (double cx in new[] { (Width / 2.0) - dx, (Width / 2.0) + dx })
        {
            Ellipse(cx, 12 + (rng.NextDouble() * 6), r, r, tone);
            if (bottom) Ellipse(cx, Height - 12 - (rng.NextDouble() * 6), r, r, tone);
        }
    }

    // A dealer's frame: a dark or chrome rim, wider at the top and bottom, that hides part of the state name
    // and carries the dealer's name in small letters.
    private void DealerFrame(GlyphSet font, Random rng)
    {
        float tone = rng.NextDouble() < 0.6 ? (float)(rng.NextDouble() * 60) : (float)(170 + (rng.NextDouble() * 85));
        double side = 3 + (rng.NextDouble() * 6), topBar = 4 + (rng.NextDouble() * 18), bottomBar = 10 + (rng.NextDouble() * 16);
        Fill(0, 0, Width, topBar, tone);
        Fill(0, Height - bottomBar, Width, bottomBar, tone);
        Fill(0, 0, side, Height, tone);
        Fill(Width - side, 0, side, Height, tone);
        if (bottomBar > 12 && rng.NextDouble() < 0.7) Caption(font, rng, Height - bottomBar + 1, Height - 1, 6, 10, tone);
    }

    private void Ellipse(double cx, double cy, double rx, double ry, float value)
    {
        for (int y = Math.Max(0, (int)(cy - ry)); y < Math.Min(Height, (int)Math.Ceiling(cy + ry)); y++)
            for (int x = Math.Max(0, (int)(cx - rx)); x < Math.Min(Width, (int)Math.Ceiling(cx + rx)); x++)
            {
                double dx = (x + 0.5 - cx) / rx, dy = (y + 0.5 - cy) / ry;
                if ((dx * dx) + (dy * dy) <= 1) _pixels[(y * Width) + x] = value;
            }
    }
}
