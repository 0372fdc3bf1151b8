using Damon.Host.Contract;

namespace Damon.Host.Tests;

/// <summary>The host contract's cases on the simulator backend.</summary>
public sealed class SimContractTests
{
    public static TheoryData<string> Cases() => [.. ContractCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name) => ContractCases.All.Single(c => c.Name == name).Case(new SimContractFixture());
}
