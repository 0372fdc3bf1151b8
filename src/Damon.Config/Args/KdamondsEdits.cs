using Damon.Config.Schema;

namespace Damon.Config.Args;

/// <summary>`args damon --add/--remove/--replace`: combine built kdamonds with those of a file.</summary>
public static class KdamondsEdits
{
    /// <summary>The file's kdamonds followed by the built ones.</summary>
    public static KdamondsSpec Add(KdamondsSpec existing, KdamondsSpec built) =>
        new() { Kdamonds = [.. existing.Kdamonds, .. built.Kdamonds] };

    /// <summary>The file's kdamonds without the one at <paramref name="index"/>.</summary>
    public static KdamondsSpec Remove(KdamondsSpec existing, int index)
    {
        CheckIndex(existing, index);
        var list = existing.Kdamonds.ToList();
        list.RemoveAt(index);
        return new KdamondsSpec { Kdamonds = list };
    }

    /// <summary>The file's kdamonds with the one at <paramref name="index"/> replaced by the first built one.</summary>
    public static KdamondsSpec Replace(KdamondsSpec existing, int index, KdamondsSpec built)
    {
        CheckIndex(existing, index);
        if (built.Kdamonds.Count == 0)
            throw new ConfigException("nothing to replace with: the options build no kdamond");
        var list = existing.Kdamonds.ToList();
        list[index] = built.Kdamonds[0];
        return new KdamondsSpec { Kdamonds = list };
    }

    private static void CheckIndex(KdamondsSpec existing, int index)
    {
        if (index < 0 || index >= existing.Kdamonds.Count)
            throw new ConfigException($"kdamond index {index} is out of range (the file has {existing.Kdamonds.Count})");
    }
}
