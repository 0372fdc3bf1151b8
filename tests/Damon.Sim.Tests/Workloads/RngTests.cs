using Damon.Sim.Workloads.Rng;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Damon.Sim.Tests.Workloads;

public class RngTests
{
    [Fact]
    public void Xoshiro256StarStarMatchesTheReferenceOutput()
    {
        // The reference C code seeded with s = {1, 2, 3, 4} gives 11520, 0, 1509978240, 1215971899390074240.
        var r = new Xoshiro256(1, 2, 3, 4);
        Assert.Equal(11520UL, r.NextU64());
        Assert.Equal(0UL, r.NextU64());
        Assert.Equal(1509978240UL, r.NextU64());
        Assert.Equal(1215971899390074240UL, r.NextU64());
    }

    [Fact]
    public void NextBelowStaysBelowAndIsUniform()
    {
        Check.One(SeededProperty.Config(0x0B5E), Prop.ForAll(Gen.Choose(1, int.MaxValue).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (int n, int seed) =>
        {
            var r = new Xoshiro256((ulong)seed);
            for (int i = 0; i < 100; i++) if (r.NextBelow((ulong)n) >= (ulong)n) return false;
            return true;
        }));
        var g = new Xoshiro256(1);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[g.NextBelow(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_600, 10_400));
    }

    [Fact]
    public void DerivedSeedsDifferPerStream()
    {
        var seeds = Enumerable.Range(0, 1000).Select(i => SplitMix64.Derive(42, (ulong)i)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
        Assert.Equal(SplitMix64.Derive(42, 3), SplitMix64.Derive(42, 3));
    }
}
