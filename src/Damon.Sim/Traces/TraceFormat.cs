namespace Damon.Sim.Traces;

/// <summary>Constants of the binary trace format (docs/trace-format.md is the specification).</summary>
public static class TraceFormat
{
    /// <summary>"DAMONTRC".</summary>
    public static ReadOnlySpan<byte> Magic => "DAMONTRC"u8;

    /// <summary>"DTRE", last 4 bytes of the end block.</summary>
    public static ReadOnlySpan<byte> EndMagic => "DTRE"u8;

    public const ushort Version = 1;
    public const int HeaderBytes = 32;
    public const byte DataBlockTag = (byte)'B';
    public const byte EndBlockTag = (byte)'E';

    /// <summary>Owner value of setup blocks; thread t's blocks have owner t + 1.</summary>
    public const long SetupOwner = 0;

    /// <summary>Addresses must be below this so that a zigzag delta shifted by two fits 64 bits.</summary>
    public const ulong AddressLimit = 1UL << 61;

    /// <summary>A block payload larger than this is taken as corruption, not allocated.</summary>
    public const ulong MaxPayloadBytes = 256UL << 20;

    public const ulong EventProcess = 0;
    public const ulong EventThread = 1;
    public const ulong EventMmap = 2;
    public const ulong EventBrk = 3;
    public const ulong EventMunmap = 4;
}
