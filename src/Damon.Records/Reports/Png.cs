using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Damon.Records.Reports;

/// <summary>Minimal PNG encoder: 8-bit RGB, one IDAT chunk compressed with zlib.</summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <param name="filteredScanlines">height rows of (filter byte + width * 3 RGB bytes).</param>
    public static void Write(Stream output, int width, int height, byte[] filteredScanlines)
    {
        if (filteredScanlines.Length != (long)height * (1 + width * 3))
            throw new ArgumentException("scanline buffer does not match the image size", nameof(filteredScanlines));
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour
        WriteChunk(output, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(filteredScanlines);
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> buf4 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf4, data.Length);
        output.Write(buf4);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xffffffffu, typeBytes), data) ^ 0xffffffffu;
        BinaryPrimitives.WriteUInt32BigEndian(buf4, crc);
        output.Write(buf4);
    }
}
