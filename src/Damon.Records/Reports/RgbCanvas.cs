namespace Damon.Records.Reports;

/// <summary>An RGB raster for the PNG heatmap: filled rectangles, outlines and <see cref="BitmapFont"/> text.</summary>
public sealed class RgbCanvas
{
    public int Width { get; }
    public int Height { get; }
    private readonly byte[] _rgb;

    public RgbCanvas(int width, int height, (byte R, byte G, byte B) background)
    {
        Width = width;
        Height = height;
        _rgb = new byte[(long)width * height * 3 > int.MaxValue ? throw new ReportException($"image of {width}x{height} pixels is too large") : width * height * 3];
        Fill(0, 0, width, height, background);
    }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int o = (y * Width + x) * 3;
            return (_rgb[o], _rgb[o + 1], _rgb[o + 2]);
        }
    }

    public void Set(int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int o = (y * Width + x) * 3;
        _rgb[o] = c.R;
        _rgb[o + 1] = c.G;
        _rgb[o + 2] = c.B;
    }

    public void Fill(int x, int y, int w, int h, (byte R, byte G, byte B) c)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0), x1 = Math.Min(x + w, Width), y1 = Math.Min(y + h, Height);
        for (int yy = y0; yy < y1; yy++)
            for (int xx = x0; xx < x1; xx++)
                Set(xx, yy, c);
    }

    /// <summary>A one-pixel outline just outside the w x h area at (x, y).</summary>
    public void Outline(int x, int y, int w, int h, (byte R, byte G, byte B) c)
    {
        Fill(x - 1, y - 1, w + 2, 1, c);
        Fill(x - 1, y + h, w + 2, 1, c);
        Fill(x - 1, y - 1, 1, h + 2, c);
        Fill(x + w, y - 1, 1, h + 2, c);
    }

    /// <summary>Text with its top-left corner at (x, y).</summary>
    public void Text(int x, int y, string text, int scale, (byte R, byte G, byte B) c)
    {
        for (int i = 0; i < text.Length; i++)
            for (int gy = 0; gy < BitmapFont.GlyphHeight; gy++)
                for (int gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                    if (BitmapFont.Ink(text[i], gx, gy))
                        Fill(x + (i * BitmapFont.Advance + gx) * scale, y + gy * scale, scale, scale, c);
    }

    /// <summary>Text turned a quarter left (read bottom to top), its baseline-left corner at (x, yBottom).</summary>
    public void TextUp(int x, int yBottom, string text, int scale, (byte R, byte G, byte B) c)
    {
        for (int i = 0; i < text.Length; i++)
            for (int gy = 0; gy < BitmapFont.GlyphHeight; gy++)
                for (int gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                    if (BitmapFont.Ink(text[i], gx, gy))
                        Fill(x + gy * scale, yBottom - (i * BitmapFont.Advance + gx + 1) * scale, scale, scale, c);
    }

    /// <summary>PNG scanlines: a 0 (no filter) byte before each row of RGB bytes.</summary>
    public byte[] Scanlines()
    {
        int stride = 1 + Width * 3;
        var raw = new byte[(long)stride * Height];
        for (int y = 0; y < Height; y++)
            Buffer.BlockCopy(_rgb, y * Width * 3, raw, y * stride + 1, Width * 3);
        return raw;
    }
}
