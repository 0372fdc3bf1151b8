using Damon.Tiering.HeMem;
using Xunit;

namespace Damon.Tiering.Tests;

public class HeMemTests
{
    [Fact]
    public void Counters_are_halved_when_one_reaches_the_cooling_threshold()
    {
        var h = new HeMemPolicy();
        h.Sample(1, 6, onSlow: true);
        h.Sample(2, 3, onSlow: true);
        h.Sample(3, 1, onSlow: true);
        Assert.Equal(0UL, h.NrCoolings);
        h.Sample(1, 4, onSlow: true);                      // page 1 reaches 10: cool everything
        Assert.Equal(1UL, h.NrCoolings);
        Assert.Equal(5u, h.CountOf(1));
        Assert.Equal(1u, h.CountOf(2));
        Assert.Equal(0u, h.CountOf(3));
    }
}
