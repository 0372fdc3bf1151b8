namespace Damon.Guest.Cases;

/// <summary>The guest runs the kernel the host meant to launch.</summary>
public static class KernelCases
{
    public static IEnumerable<GuestCase> All() =>
    [
        new("kernel/version", Version),
    ];

    private static CaseResult Version(GuestContext ctx)
    {
        if (ctx.ExpectedKernel is null)
            return CaseResult.Fail("no expected kernel (--expect-kernel RELEASE or testbed_kernel= on the command line)");
        string release = Sysfs.Read("/proc/sys/kernel/osrelease");
        return release == ctx.ExpectedKernel
            ? CaseResult.Pass()
            : CaseResult.Fail($"running kernel {release}, expected {ctx.ExpectedKernel}");
    }
}
