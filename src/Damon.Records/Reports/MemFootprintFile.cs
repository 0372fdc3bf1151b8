using System.Text.Json;

namespace Damon.Records.Reports;

/// <summary>
/// damo's <c>.mem_footprint</c> side file (written by <c>damo record --do_record mem_footprint</c>):
/// a JSON list of snapshots <c>{time, footprints: [{pid, footprint}]}</c>, where a process's
/// footprint is its <c>/proc/pid/statm</c> in pages (size, resident, ...) and the <c>pid: null</c>
/// entry is the system's <c>/proc/meminfo</c> in KiB (total, free, ...).
/// </summary>
public static class MemFootprintFile
{
    public sealed record ProcFootprint(long SizePages, long ResidentPages);
    public sealed record SysFootprint(long TotalKib, long FreeKib);

    /// <summary>One snapshot; like damo's dict keyed by pid, a repeated pid keeps its last footprint.</summary>
    public sealed record Snapshot(double Time, IReadOnlyDictionary<long, ProcFootprint> Procs, SysFootprint? Sys);

    public static List<Snapshot> Read(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ReportException($"{path}: not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        using (doc) return Parse(path, doc.RootElement);
    }

    private static List<Snapshot> Parse(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array) throw Error(path, "$", "must be a list of snapshots");
        var snapshots = new List<Snapshot>();
        int i = 0;
        foreach (var s in root.EnumerateArray())
        {
            string at = $"$[{i++}]";
            if (s.ValueKind != JsonValueKind.Object) throw Error(path, at, "must be an object");
            if (!s.TryGetProperty("time", out var time) || time.ValueKind != JsonValueKind.Number)
                throw Error(path, at + ".time", "must be a number");
            if (!s.TryGetProperty("footprints", out var fps) || fps.ValueKind != JsonValueKind.Array)
                throw Error(path, at + ".footprints", "must be a list");
            var procs = new Dictionary<long, ProcFootprint>();
            SysFootprint? sys = null;
            int j = 0;
            foreach (var fp in fps.EnumerateArray())
            {
                string fat = $"{at}.footprints[{j++}]";
                if (fp.ValueKind != JsonValueKind.Object) throw Error(path, fat, "must be an object");
                if (!fp.TryGetProperty("pid", out var pid)) throw Error(path, fat + ".pid", "missing (null for the system)");
                if (!fp.TryGetProperty("footprint", out var body) || body.ValueKind != JsonValueKind.Object)
                    throw Error(path, fat + ".footprint", "must be an object");
                if (pid.ValueKind == JsonValueKind.Null)
                    sys = new SysFootprint(Count(path, body, fat + ".footprint", "total"), Count(path, body, fat + ".footprint", "free"));
                else if (pid.ValueKind == JsonValueKind.Number && pid.TryGetInt64(out var p))
                    procs[p] = new ProcFootprint(Count(path, body, fat + ".footprint", "size"), Count(path, body, fat + ".footprint", "resident"));
                else
                    throw Error(path, fat + ".pid", "must be an integer or null");
            }
            snapshots.Add(new Snapshot(time.GetDouble(), procs, sys));
        }
        return snapshots;
    }

    /// <summary>Page and KiB counts; bounded so that converting them to bytes cannot overflow.</summary>
    private static long Count(string path, JsonElement body, string at, string name)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n) || n is < 0 or > (1L << 40))
            throw Error(path, $"{at}.{name}", "must be an integer from 0 to 2^40");
        return n;
    }

    private static ReportException Error(string path, string jsonPath, string rule) => new($"{path}: {jsonPath}: {rule}");
}
