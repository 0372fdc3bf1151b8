using Damon.Core.Monitoring;
using Damon.Core.Operations;
using Damon.Core.Schemes;
using Damon.Linux.Actions;
using Damon.Linux.Backend.Profile;
using Damon.Linux.Procfs;
using Damon.Linux.Syscalls;

namespace Damon.Linux.Backend.UserMode;

/// <summary>
/// User mode's action layer on the real system: vaddr regions through
/// <see cref="LinuxDamosActions"/> (the kernel vaddr ops' accounting), paddr regions through the
/// processes mapping their frames (<see cref="PaddrUserActions"/>). move_pages failures are
/// counted per errno in <see cref="UserModeProblems"/>; a syscall refused for a whole region
/// (EPERM on another user's process) is counted by its call and errno, and the run goes on.
/// </summary>
public sealed class LinuxUserModeActions : IUserModeActions, IDisposable
{
    private const ulong PageSize = 4096;
    private readonly LinuxDamosActions _vaddr;
    private readonly PaddrUserActions _paddr;
    private readonly UserModeProblems _problems;
    private readonly IMemoryLayout _layout;

    public LinuxUserModeActions(IProcessPageSource pages, IPageSyscalls syscalls, UserModeProblems problems, IMemoryLayout layout,
        LinuxCapabilities? caps = null, RoundTimes? times = null)
    {
        _vaddr = new LinuxDamosActions(caps ?? LinuxCapabilities.Probe());
        _paddr = new PaddrUserActions(pages, syscalls, problems) { Times = times };
        _problems = problems;
        _layout = layout;
    }

    /// <summary>The process exists and is not a zombie (a zombie has no memory left to act on).</summary>
    public bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z' && stat[close + 2] != 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public DamosActionResult ApplyVaddr(Target t, Region r, Damos s)
    {
        try
        {
            ulong applied = _vaddr.ApplyScheme(t, r, s, out ulong passed);
            if (s.Action is DamosAction.MigrateHot or DamosAction.MigrateCold && _vaddr.LastMigration is { } m)
                foreach (var (errno, pages) in m.FailedByErrno)
                    _problems.Count($"move_pages {LinuxErrnos.Name(errno)}", pages);
            return new DamosActionResult(applied, passed);
        }
        catch (SyscallException e) when (e.TargetGone)
        {
            _vaddr.CleanupTarget(t.Pid);
            throw new TargetGoneException(t.Pid);
        }
        catch (SyscallException e)
        {
            _problems.Count($"{e.Call} {LinuxErrnos.Name(e.Errno)}", r.Size / PageSize);
            return default;
        }
    }

    public DamosActionResult ApplyPaddr(ulong start, ulong end, Damos s) => _paddr.Apply(start, end, s);

    public ulong PaddrBytesOnNode(ulong start, ulong end, int nid) =>
        _layout.TryGetNodeSpan(nid, out var span) ? _paddr.BytesOnNode(start, end, span) : 0;

    public ulong PaddrLruBytes(ulong start, ulong end) => _paddr.BytesOnNode(start, end, new AddrRange(start, end));

    public string? CheckScheme(Damos s, OperationsId ops) =>
        ops == OperationsId.Paddr ? PaddrUserActions.CheckFilters(s) : _vaddr.CheckScheme(s, ops);

    public void NewApplyRound() => _paddr.NewApplyRound();

    public void Dispose() => _vaddr.Dispose();
}
