using System.CommandLine;
using Damon.Linux.Backend;

namespace Damon.Cli.Linux;

/// <summary>
/// The options every real-Linux verb shares: where sysfs and procfs are, and (for the verbs that
/// run DAMON) who runs the schemes. Paths inside the roots are the kernel's: DAMON's admin tree is
/// ROOT/kernel/mm/damon/admin, the NUMA nodes ROOT/devices/system/node.
/// </summary>
internal sealed class LinuxOptions
{
    public const string DefaultSysRoot = "/sys";
    public const string DefaultProcRoot = "/proc";

    public Option<string?> SysfsRoot { get; } = new("--sysfs_root")
    {
        Description = "sysfs to use instead of /sys (DAMON under DIR/kernel/mm/damon/admin, nodes under DIR/devices/system/node); "
            + "a root given explicitly is written without the test-bed guest check",
    };

    public Option<string?> ProcRoot { get; } = new("--procfs_root")
    {
        Description = "procfs to use instead of /proc (maps, numa_maps, iomem, cmdline)",
        Hidden = true,
    };

    public Option<string> Mode { get; } = new("--mode")
    {
        Description = "kernel: the kernel runs the schemes and `start` exits leaving them running; "
            + "user: the kernel monitors and Damon runs the schemes itself, in the foreground until Ctrl+C, SIGTERM or --timeout",
        DefaultValueFactory = _ => "kernel",
    };

    public Argument<string[]> DamoOptions { get; } = new("damo-options")
    {
        Description = "damo's DAMON parameter options (--ops, --target_pid, --monitoring_intervals, --damos_action, ..., or --kdamonds FILE); see docs/config.md",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Verbs that also run on the simulator: which one (docs/cli.md, "Simulator or real Linux").</summary>
    public Option<string?> Backend { get; } = new("--backend")
    {
        Description = "sim: the simulated machine; linux: this machine's kernel (default: see docs/cli.md, \"Simulator or real Linux\")",
    };

    public LinuxOptions()
    {
        Mode.AcceptOnlyFromAmong("kernel", "user");
        Backend.AcceptOnlyFromAmong("sim", "linux");
    }

    /// <summary>
    /// The explicit choice: true for --backend linux or a --sysfs_root/--procfs_root (which mean
    /// nothing to the simulator), false for --backend sim, null when neither is given.
    /// </summary>
    public bool? ExplicitLinux(ParseResult parse)
    {
        string? backend = parse.GetValue(Backend);
        bool roots = parse.GetResult(SysfsRoot) is not null || parse.GetResult(ProcRoot) is not null;
        if (backend == "sim" && roots)
            throw new UserError("--sysfs_root and --procfs_root are the real machine's; drop them or --backend sim", ExitCodes.UsageError);
        return backend switch { "linux" => true, "sim" => false, _ => roots ? true : null };
    }

    /// <summary>damo's options arrive as unmatched tokens, parsed by Damon.Config's DamoArgs.</summary>
    public void AddDamo(Command command)
    {
        command.Arguments.Add(DamoOptions);
        command.TreatUnmatchedTokensAsErrors = false;
    }

    public List<string> ReadDamo(ParseResult parse)
    {
        var tokens = new List<string>(parse.GetResult(DamoOptions) is null ? [] : parse.GetValue(DamoOptions) ?? []);
        tokens.AddRange(parse.UnmatchedTokens);
        return tokens;
    }

    public void AddRoots(Command command)
    {
        command.Options.Add(SysfsRoot);
        command.Options.Add(ProcRoot);
    }

    public void AddMode(Command command) => command.Options.Add(Mode);

    public LinuxMachine Read(ParseResult parse) => new(
        parse.GetValue(SysfsRoot),
        parse.GetValue(ProcRoot) ?? DefaultProcRoot,
        parse.GetResult(Mode) is null ? LinuxBackendMode.Kernel : parse.GetValue(Mode) == "user" ? LinuxBackendMode.User : LinuxBackendMode.Kernel);
}
