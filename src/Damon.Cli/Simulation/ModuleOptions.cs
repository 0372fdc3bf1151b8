using System.CommandLine;
using System.Globalization;

namespace Damon.Cli.Simulation;

/// <summary>
/// <c>--module NAME ... [--module_params [MODULE=]FILE] [--module_param [MODULE.]NAME=VALUE ...]
/// [--module_commit SECONDS:[MODULE=]FILE ...] [--separate_kdamonds]</c>; with several modules each
/// per-module value names its module (<see cref="ModulePrefix"/>).
/// </summary>
internal sealed class ModuleOptions
{
    public Option<string[]> Module { get; } = new("--module")
    {
        Description = $"Run a DAMON module on the machine instead of damo-style contexts: {string.Join(", ", SimModule.Names)} (docs/modules.md); "
            + "repeatable in `damon sim`: several modules share one context (DAMON-X) unless --separate_kdamonds",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> ParamsFile { get; } = new("--module_params")
    {
        Description = "[MODULE=]FILE: the module's parameters from a JSON or YAML file; parameters it leaves out keep the module's defaults. "
            + "With several modules, one per module, named: reclaim=r.yaml",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Param { get; } = new("--module_param")
    {
        Description = "Write one parameter, [MODULE.]NAME=VALUE (after --module_params), e.g. --module_param quota_sz=104857600; "
            + "with several modules the module is named: reclaim.quota_sz=104857600",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Commit { get; } = new("--module_commit")
    {
        Description = "SECONDS:[MODULE=]FILE: at that simulated time, write FILE's parameters and commit them to the running module (commit_inputs)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> Separate { get; } = new("--separate_kdamonds")
    {
        Description = "With several --module: run each module in its own kdamond side by side instead of one shared context "
            + "(for comparison only: the kernel starts every module exclusively)",
    };

    /// <summary><paramref name="simulated"/>: the options of a simulated run too (--module_commit at simulated times, several modules).</summary>
    public void AddTo(Command command, bool simulated = true)
    {
        command.Options.Add(Module);
        command.Options.Add(ParamsFile);
        command.Options.Add(Param);
        if (simulated)
        {
            command.Options.Add(Commit);
            command.Options.Add(Separate);
        }
    }

    /// <summary>
    /// The one module --module names with its parameters, or null without --module (the real
    /// kernel's verbs, which start a module's own kdamond).
    /// </summary>
    public SimModule? ReadModule(ParseResult parse, IReadOnlyList<string> damoTokens)
    {
        var modules = ReadModules(parse, damoTokens);
        if (modules.Count > 1)
            throw new UserError($"--module: {string.Join(", ", modules.Select(m => m.Name))}: several modules share one context only in `damon sim` and `damon start --mode user`; give one --module here",
                ExitCodes.UsageError);
        return modules.Count == 0 ? null : modules[0];
    }

    /// <summary>
    /// The modules --module names, in order, each with its parameters; empty without --module. The
    /// module options without it, or with damo's DAMON options, are usage errors.
    /// </summary>
    public IReadOnlyList<SimModule> ReadModules(ParseResult parse, IReadOnlyList<string> damoTokens)
    {
        string[] names = parse.GetValue(Module) ?? [];
        string[] files = parse.GetValue(ParamsFile) ?? [];
        string[] writes = parse.GetValue(Param) ?? [];
        bool commits = parse.GetResult(Commit) is { Tokens.Count: > 0 };
        if (names.Length == 0)
        {
            if (files.Length > 0 || writes.Length > 0 || commits)
                throw new UserError("--module_params, --module_param and --module_commit need --module", ExitCodes.UsageError);
            if (parse.GetResult(Separate) is { Implicit: false })
                throw new UserError("--separate_kdamonds needs two or more --module", ExitCodes.UsageError);
            return [];
        }
        if (damoTokens.Count > 0)
            throw new UserError($"--module starts the module's own kdamond exclusively, as the kernel does; drop the DAMON options ({string.Join(' ', damoTokens)})", ExitCodes.UsageError);
        foreach (string n in names)
            if (!SimModule.Names.Contains(n))
                throw new UserError($"--module: unknown module '{n}' (known: {string.Join(", ", SimModule.Names)})", ExitCodes.UsageError);
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new UserError($"--module {twice.Key}: given twice; a module is installed once", ExitCodes.UsageError);
        if (names.Length == 1 && parse.GetResult(Separate) is { Implicit: false })
            throw new UserError("--separate_kdamonds needs two or more --module", ExitCodes.UsageError);

        var fileOf = new Dictionary<string, string>();
        foreach (string f in files)
        {
            var (module, file) = ModulePrefix.OfFile("--module_params", f, f, names);
            if (!fileOf.TryAdd(module, file))
                throw new UserError($"--module_params {f}: a second file for {module}; give one per module", ExitCodes.UsageError);
        }
        var writesOf = names.ToDictionary(n => n, _ => new List<string>());
        foreach (string w in writes)
        {
            var (module, write) = ModulePrefix.OfParam(w, names);
            writesOf[module].Add(write);
        }
        return [.. names.Select(n => SimModule.Create(n, fileOf.GetValueOrDefault(n), writesOf[n]))];
    }

    /// <summary>Null without --module; the module options without it, or with damo's DAMON options, are usage errors.</summary>
    public ModuleRun? Read(ParseResult parse, SimRunRequest request)
    {
        var modules = ReadModules(parse, request.DamoTokens);
        if (modules.Count == 0)
            return null;
        string[] names = [.. modules.Select(m => m.Name)];
        string[] commits = parse.GetValue(Commit) ?? [];
        var planned = new List<ModuleCommit>();
        foreach (string c in commits)
        {
            // The first colon ends the time, so a path may hold colons of its own.
            int colon = c.IndexOf(':');
            if (colon <= 0 || colon == c.Length - 1)
                throw new UserError($"--module_commit {c}: must be SECONDS:FILE", ExitCodes.UsageError);
            var (ok, atUs, problem) = Values.OptionValues.ParseSecondsUs(c[..colon]);
            if (!ok || atUs > Values.OptionValues.MaxRunUs)
                throw new UserError($"--module_commit {c}: {(ok ? "at most 10000000 s" : problem)}", ExitCodes.UsageError);
            double sec = atUs / 1e6;
            // A commit is made by the kdamond's next iteration after it is asked for: one asked
            // for at the end would never be made.
            if (atUs >= request.DurationUs)
                throw new UserError(string.Create(CultureInfo.InvariantCulture,
                    $"--module_commit {c}: {sec} s is not before the end of the run ({request.DurationUs / 1e6} s)"), ExitCodes.UsageError);
            var (module, file) = ModulePrefix.OfFile("--module_commit", c, c[(colon + 1)..], names);
            if (file.Length == 0)
                throw new UserError($"--module_commit {c}: must be SECONDS:FILE", ExitCodes.UsageError);
            planned.Add(new ModuleCommit(atUs, file, module));
        }
        // OrderBy is stable: commits at the same time are made in the order given.
        return new ModuleRun(modules, [.. planned.OrderBy(p => p.AtUs)], modules.Count > 1 && parse.GetValue(Separate));
    }
}
