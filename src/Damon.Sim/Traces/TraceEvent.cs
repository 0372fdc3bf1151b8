using System.Text;
using Damon.Sim.Workloads;

namespace Damon.Sim.Traces;

/// <summary>A non-access record of a trace: what the traced program asked of the machine. Process and thread ids are trace indices (0, 1, ... in order of creation).</summary>
public abstract record TraceEvent
{
    internal abstract void Encode(List<byte> dst);

    /// <summary>Decodes the event body after its opcode. Returns null if the bytes end first (truncation); throws FormatException if they are invalid.</summary>
    internal static TraceEvent? Decode(ReadOnlySpan<byte> p, ref int pos, ulong op)
    {
        int start = pos;
        TraceEvent? e = op switch
        {
            TraceFormat.EventProcess => DecodeProcess(p, ref pos),
            TraceFormat.EventThread => R(p, ref pos, out ulong pid) && R(p, ref pos, out ulong cpu)
                ? new ThreadEvent(Int(pid), Int(cpu)) : null,
            TraceFormat.EventMmap => DecodeMmap(p, ref pos),
            TraceFormat.EventBrk => R(p, ref pos, out ulong pid) && R(p, ref pos, out ulong a) && R(p, ref pos, out ulong g)
                ? new BrkEvent(Int(pid), a, g) : null,
            TraceFormat.EventMunmap => R(p, ref pos, out ulong pid) && R(p, ref pos, out ulong a) && R(p, ref pos, out ulong s)
                ? new MunmapEvent(Int(pid), a, s) : null,
            _ => throw new FormatException($"unknown event opcode {op}"),
        };
        if (e is null) pos = start;
        return e;
    }

    private static bool R(ReadOnlySpan<byte> p, ref int pos, out ulong v) => Varint.TryRead(p, ref pos, out v);

    private static int Int(ulong v) => v <= int.MaxValue ? (int)v : throw new FormatException($"value {v} does not fit an int");

    private static TraceEvent? DecodeProcess(ReadOnlySpan<byte> p, ref int pos)
    {
        if (!R(p, ref pos, out ulong memcg) || !R(p, ref pos, out ulong len)) return null;
        if (len > 4096) throw new FormatException($"process name of {len} bytes");
        if ((ulong)(p.Length - pos) < len) return null;
        string name = Encoding.UTF8.GetString(p.Slice(pos, (int)len));
        pos += (int)len;
        return new ProcessEvent(name, memcg);
    }

    private static TraceEvent? DecodeMmap(ReadOnlySpan<byte> p, ref int pos)
    {
        if (!R(p, ref pos, out ulong pid) || !R(p, ref pos, out ulong addr) || !R(p, ref pos, out ulong size)
            || !R(p, ref pos, out ulong flags) || !R(p, ref pos, out ulong mode))
            return null;
        MemPolicy? policy = null;
        if (mode != 0)
        {
            if (mode - 1 > (ulong)MemPolicyMode.WeightedInterleave) throw new FormatException($"unknown memory policy mode {mode - 1}");
            if (!R(p, ref pos, out ulong nNodes)) return null;
            if (nNodes > 1024) throw new FormatException($"memory policy with {nNodes} nodes");
            var nodes = new int[nNodes];
            for (ulong i = 0; i < nNodes; i++) { if (!R(p, ref pos, out ulong n)) return null; nodes[i] = Int(n); }
            if (!R(p, ref pos, out ulong nWeights)) return null;
            if (nWeights > 1024) throw new FormatException($"memory policy with {nWeights} weights");
            uint[]? weights = null;
            if (nWeights > 0)
            {
                weights = new uint[nWeights];
                for (ulong i = 0; i < nWeights; i++) { if (!R(p, ref pos, out ulong w)) return null; weights[i] = (uint)Math.Min(w, uint.MaxValue); }
            }
            policy = new MemPolicy((MemPolicyMode)(mode - 1), nodes, weights);
        }
        return new MmapEvent(Int(pid), addr, size, (MapFlags)flags, policy);
    }

    private protected static void Put(List<byte> dst, ulong v)
    {
        Span<byte> tmp = stackalloc byte[Varint.MaxBytes];
        int n = Varint.Write(tmp, 0, v);
        for (int i = 0; i < n; i++) dst.Add(tmp[i]);
    }

    private protected static void PutOp(List<byte> dst, ulong op) => Put(dst, (op << 1) | 1);
}

public sealed record ProcessEvent(string Name, ulong MemcgId) : TraceEvent
{
    internal override void Encode(List<byte> dst)
    {
        PutOp(dst, TraceFormat.EventProcess);
        Put(dst, MemcgId);
        var bytes = Encoding.UTF8.GetBytes(Name);
        Put(dst, (ulong)bytes.Length);
        dst.AddRange(bytes);
    }
}

public sealed record ThreadEvent(int Pid, int Cpu) : TraceEvent
{
    internal override void Encode(List<byte> dst)
    {
        PutOp(dst, TraceFormat.EventThread);
        Put(dst, (ulong)Pid);
        Put(dst, (ulong)Cpu);
    }
}

public sealed record MmapEvent(int Pid, ulong Addr, ulong Size, MapFlags Flags, MemPolicy? Policy) : TraceEvent
{
    internal override void Encode(List<byte> dst)
    {
        PutOp(dst, TraceFormat.EventMmap);
        Put(dst, (ulong)Pid);
        Put(dst, Addr);
        Put(dst, Size);
        Put(dst, (ulong)Flags);
        if (Policy is null) { Put(dst, 0); return; }
        Put(dst, (ulong)Policy.Mode + 1);
        Put(dst, (ulong)Policy.Nodes.Length);
        foreach (int n in Policy.Nodes) Put(dst, (ulong)n);
        Put(dst, (ulong)(Policy.Weights?.Length ?? 0));
        foreach (uint w in Policy.Weights ?? []) Put(dst, w);
    }

    public bool Equals(MmapEvent? other) =>
        other is not null && Pid == other.Pid && Addr == other.Addr && Size == other.Size && Flags == other.Flags
        && (Policy is null ? other.Policy is null
            : other.Policy is not null && Policy.Mode == other.Policy.Mode && Policy.Nodes.SequenceEqual(other.Policy.Nodes)
              && (Policy.Weights ?? []).SequenceEqual(other.Policy.Weights ?? []));

    public override int GetHashCode() => HashCode.Combine(Pid, Addr, Size, Flags);
}

public sealed record BrkEvent(int Pid, ulong Addr, ulong GrowBytes) : TraceEvent
{
    internal override void Encode(List<byte> dst)
    {
        PutOp(dst, TraceFormat.EventBrk);
        Put(dst, (ulong)Pid);
        Put(dst, Addr);
        Put(dst, GrowBytes);
    }
}

public sealed record MunmapEvent(int Pid, ulong Addr, ulong Size) : TraceEvent
{
    internal override void Encode(List<byte> dst)
    {
        PutOp(dst, TraceFormat.EventMunmap);
        Put(dst, (ulong)Pid);
        Put(dst, Addr);
        Put(dst, Size);
    }
}
