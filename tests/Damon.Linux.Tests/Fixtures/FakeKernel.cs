using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Linux.Backend;
using Damon.Linux.Backend.UserMode;
using Damon.Linux.Sysfs;
using Damon.Linux.Tests.Backend.Fakes;

namespace Damon.Linux.Tests;

/// <summary>
/// The kernel the Linux tests run on: an in-memory admin tree of one kernel level and a pacer that
/// moves only when told. The backend and the sysfs driver built on it forget the feature-detection
/// reads, so a test's log and command list hold only what the test caused.
/// </summary>
internal sealed class FakeKernel(SysfsKernelLevel level)
{
    public FakeSysfsTree Tree { get; } = new(level);
    public FakePacer Pacer { get; } = new();

    /// <summary>The kernel's DAMON through sysfs; waits between commands are not slept.</summary>
    public static (FakeSysfsTree Tree, KernelDamon Damon) KernelDamonOn(SysfsKernelLevel level)
    {
        var tree = new FakeSysfsTree(level);
        return (tree, new KernelDamon(tree, _ => { }));
    }

    /// <summary>A backend in <paramref name="mode"/> on this tree and pacer, notices kept in <paramref name="notices"/> (or dropped).</summary>
    public LinuxBackend Backend(LinuxBackendMode mode, IMemoryLayout layout, IUserModeActions? actions = null,
        IDamonMetrics? metrics = null, TextWriter? notices = null)
    {
        var backend = new LinuxBackend(new LinuxBackendOptions
        {
            Mode = mode, Tree = Tree, Pacer = Pacer, Layout = layout, Actions = actions, Metrics = metrics,
            Notices = notices ?? new StringWriter(),
        });
        // Feature detection probes the tree the way damo does; the tests are about what follows.
        Tree.Log.Clear();
        Tree.Commands.Clear();
        return backend;
    }
}
