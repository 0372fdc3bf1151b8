using System.Text.Json.Nodes;

namespace Damon.Config.Schema;

/// <summary>The document `args damon` prints and `--kdamonds` accepts: <c>{"kdamonds": [...]}</c>.</summary>
public sealed class KdamondsSpec
{
    public List<KdamondSpec> Kdamonds { get; set; } = [];

    /// <summary>Also takes the bare list `report damon --json` prints.</summary>
    public static KdamondsSpec Read(JsonNode? root)
    {
        if (root is JsonArray)
            return new KdamondsSpec { Kdamonds = Kv.Root(new JsonObject { ["kdamonds"] = root.DeepClone() }).List("kdamonds", KdamondSpec.Read) };
        var kv = Kv.Root(root);
        if (!kv.Has("kdamonds"))
            throw new ConfigException("missing the top-level \"kdamonds\" list");
        return new KdamondsSpec { Kdamonds = kv.List("kdamonds", KdamondSpec.Read) };
    }

    /// <summary><paramref name="omitDefaults"/>: damo's --omit_defaults, dropping blocks that hold only defaults.</summary>
    /// <summary><paramref name="paramsOnly"/> false writes a status dump: state, pid, stats and tried regions.</summary>
    public JsonObject Write(bool raw, bool omitDefaults = false, bool paramsOnly = true) =>
        new() { ["kdamonds"] = KvWrite.Array(Kdamonds, k => k.Write(raw, omitDefaults, paramsOnly)) };
}

/// <summary>One kdamond: a thread running its contexts.</summary>
public sealed class KdamondSpec
{
    /// <summary>"on"/"off" in status dumps; never written by `args damon`.</summary>
    public string? State { get; set; }
    public int? Pid { get; set; }
    /// <summary>Automatic stats refresh period (refresh_ms); 0 is off.</summary>
    public ulong RefreshMs { get; set; }
    public List<ContextSpec> Contexts { get; set; } = [];

    public static KdamondSpec Read(Kv kv) => new()
    {
        State = kv.OptionalString("state") ?? "off",
        Pid = kv.OptionalInt("pid"),
        RefreshMs = kv.TimeMs("refresh_ms"),
        Contexts = kv.List("contexts", ContextSpec.Read),
    };

    /// <summary>Parameters only, as `args damon` writes them, unless <paramref name="paramsOnly"/> is false.</summary>
    public JsonObject Write(bool raw, bool omitDefaults = false, bool paramsOnly = true)
    {
        var o = new JsonObject();
        if (!paramsOnly)
        {
            o["state"] = State;
            o["pid"] = Pid;
        }
        o["refresh_ms"] = RefreshMs;
        o["contexts"] = KvWrite.Array(Contexts, c => c.Write(raw, omitDefaults, paramsOnly));
        return o;
    }
}
