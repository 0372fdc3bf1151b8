using Damon.Cli.Linux;
using Damon.Linux.Sysfs;

namespace Damon.Cli.Tests.Linux;

/// <summary>
/// An in-memory kernel DAMON admin tree given to the CLI as <c>--sysfs_root</c>: the verbs under
/// test read and write it as they would the real one (nr_* writes make directories, state takes
/// the kernel's commands), and the test reads what was written. Nothing touches the host's sysfs.
/// </summary>
internal sealed class FakeKernel : IDisposable
{
    private readonly IDisposable _hooks;

    public FakeSysfsTree Tree { get; }

    /// <summary>What the verbs are given as --sysfs_root; a path no file system has.</summary>
    public string Root { get; } = "/fake-sysfs-" + Guid.NewGuid().ToString("N");

    public FakeKernel(SysfsKernelLevel level, bool isRoot = true)
    {
        Tree = new FakeSysfsTree(level);
        _hooks = LinuxHooks.Use(new LinuxHooks { AdminTree = root => root == Root ? Tree : null, IsRoot = () => isRoot });
    }

    public void Dispose() => _hooks.Dispose();
}
