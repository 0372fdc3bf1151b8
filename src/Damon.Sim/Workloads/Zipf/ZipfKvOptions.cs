using Damon.Sim.Workloads.Catalog;

namespace Damon.Sim.Workloads.Zipf;

/// <summary>Parameters of <see cref="ZipfKvWorkload"/>; defaults in docs/workloads.md.</summary>
public sealed record ZipfKvOptions
{
    public ulong Keys { get; init; } = 1 << 20;
    public ulong ValueBytes { get; init; } = 1024;
    public double Theta { get; init; } = ZipfianGenerator.YcsbTheta;
    /// <summary>Share of operations that are reads (GET); the rest overwrite the value (SET). YCSB C: 1.</summary>
    public double ReadFraction { get; init; } = 1.0;
    /// <summary>Spread popular ranks over the key space by FNV hash, as YCSB's ScrambledZipfianGenerator does.</summary>
    public bool Scramble { get; init; } = true;
    /// <summary>Read an 8-byte hash-index slot before each value, as a hash-table store does.</summary>
    public bool Index { get; init; } = true;
    /// <summary>Write every value once, in key order, before the operations (YCSB's load phase).</summary>
    public bool Load { get; init; } = true;
    public ulong OpsPerThread { get; init; }
    /// <summary>Thread time after the warm-up at which each thread stops; 0: never (the run's own duration ends it).</summary>
    public ulong DurationNs { get; init; }
    public bool Thp { get; init; }
    public ThreadPlacement Threads { get; init; } = ThreadPlacement.Single;
    public double ComputeNsPerAccess { get; init; } = 1.0;

    public static readonly string[] KeyNames =
        ["keys", "value", "theta", "read", "scramble", "index", "load", "ops", "duration", "thp", "threads", "cpus", "cpuns"];

    public static ZipfKvOptions From(WorkloadArgs a)
    {
        var d = new ZipfKvOptions();
        var o = new ZipfKvOptions
        {
            Keys = (ulong)a.GetInt("keys", (long)d.Keys, 1),
            ValueBytes = a.GetOperationSize("value", d.ValueBytes),
            Theta = a.GetDouble("theta", d.Theta, 0, 0.999999),
            ReadFraction = a.GetFraction("read", d.ReadFraction),
            Scramble = a.GetBool("scramble", d.Scramble),
            Index = a.GetBool("index", d.Index),
            Load = a.GetBool("load", d.Load),
            OpsPerThread = (ulong)a.GetInt("ops", 0, 0),
            DurationNs = a.GetDurationNs("duration", d.DurationNs),
            Thp = a.GetBool("thp", false),
            Threads = ThreadPlacement.From(a),
            ComputeNsPerAccess = a.GetDouble("cpuns", d.ComputeNsPerAccess, 0, 1e9),
        };
        a.RejectUnknown("zipf", KeyNames);
        // Values sit back to back in 64-byte-aligned slots, plus an 8-byte index slot per key:
        // keys × that must be mappable, or key-to-address arithmetic wraps past the mapping.
        ulong slotBytes = ZipfKvWorkload.SlotBytesOf(o.ValueBytes);
        ulong indexBytes = o.Index ? ZipfKvWorkload.IndexSlotBytes : 0;
        a.CheckFits($"zipf: keys={o.Keys} × ({slotBytes} B value slot{(o.Index ? $" + {indexBytes} B index slot" : "")})",
            (UInt128)o.Keys * (slotBytes + indexBytes));
        return o;
    }
}
