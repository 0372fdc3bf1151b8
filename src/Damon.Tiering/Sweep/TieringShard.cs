using System.Globalization;

namespace Damon.Tiering.Sweep;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (0-based, as a Kubernetes Indexed Job's
/// JOB_COMPLETION_INDEX) of a sweep's runs. The units are the (scenario, policy) pairs of the
/// run's seed in suite order — scenario by scenario, each scenario's policies in the order given —
/// numbered from 0; unit k belongs to shard k mod Count. The assignment depends on nothing but
/// the scenario and policy lists, so every shard process computes the same one.
/// </summary>
public sealed record TieringShard(int Index, int Count)
{
    public static TieringShard Whole { get; } = new(0, 1);

    public bool Owns(int unit) => unit % Count == Index;

    /// <summary>Parses <c>I/N</c> with 0 ≤ I &lt; N; throws <see cref="ArgumentException"/> saying the rule.</summary>
    public static TieringShard Parse(string text)
    {
        int slash = text.IndexOf('/');
        if (slash <= 0
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new ArgumentException($"--shard: '{text}' is not I/N (e.g. 0/4: the first of four shards)");
        if (n < 1) throw new ArgumentException($"--shard: {text}: the shard count N must be at least 1");
        if (i >= n) throw new ArgumentException($"--shard: {text}: the index I must be in 0..{n - 1} (shards are numbered from 0)");
        return new TieringShard(i, n);
    }
}
