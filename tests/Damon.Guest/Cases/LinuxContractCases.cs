using Damon.Guest.Linux;
using Damon.Host.Contract;
using Damon.Linux.Backend;

namespace Damon.Guest.Cases;

/// <summary>
/// The host contract's cases (tests/Contract, the same code the simulator's xunit run uses) on the
/// Linux backend, in kernel mode and in user mode, against the guest kernel's DAMON.
/// </summary>
public static class LinuxContractCases
{
    public static IEnumerable<GuestCase> All() =>
        from mode in new[] { LinuxBackendMode.Kernel, LinuxBackendMode.User }
        from c in ContractCases.All
        select new GuestCase($"contract/linux-{(mode == LinuxBackendMode.Kernel ? "kernel" : "user")}/{c.Name}", ctx => Run(ctx, mode, c.Case));

    private static CaseResult Run(GuestContext ctx, LinuxBackendMode mode, Action<IContractFixture> contractCase)
    {
        if (!ctx.IsGuest)
            return CaseResult.Skip("not the test-bed guest: the Linux backend writes DAMON sysfs only there");
        try
        {
            var fixture = new LinuxContractFixture(mode);
            contractCase(fixture);
            return CaseResult.Pass();
        }
        catch (ContractFailure e)
        {
            return CaseResult.Fail(e.Message);
        }
    }
}
