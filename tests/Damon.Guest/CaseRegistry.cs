using Damon.Guest.Cases;

namespace Damon.Guest;

/// <summary>Every guest case, in run order. A new case group is one file under Cases/ with a static
/// <c>All()</c> and one line here (see docs/testbed.md, "Adding a guest case").</summary>
public static class CaseRegistry
{
    public static IReadOnlyList<GuestCase> All(bool withOpen = false) =>
    [
        .. KernelCases.All(),
        .. NumaCases.All(),
        .. DamonSysfsCases.All(),
        .. SoftDirtyCases.All(),
        .. MovePagesCases.All(),
        .. LinuxContractCases.All(),
        .. LinuxBackendCases.All(),
        .. ProofCases.All(),
        .. SharedContextCases.All(),
        .. (withOpen ? ProofCases.Open() : []),
        .. (withOpen ? SharedContextCases.Open() : []),
    ];
}
