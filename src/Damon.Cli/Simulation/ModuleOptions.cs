using System.CommandLine;
using System.Globalization;

namespace Damon.Cli.Simulation;

/// <summary><c>--module NAME [--module_params FILE] [--module_param NAME=VALUE ...] [--module_commit SECONDS:FILE ...]</c>.</summary>
internal sealed class ModuleOptions
{
    public Option<string?> Module { get; } = new("--module")
    {
        Description = $"Run a DAMON module on the machine instead of damo-style contexts: {string.Join(", ", SimModule.Names)} (docs/modules.md)",
    };

    public Option<string?> ParamsFile { get; } = new("--module_params")
    {
        Description = "The module's parameters from a JSON or YAML file; parameters it leaves out keep the module's defaults",
    };

    public Option<string[]> Param { get; } = new("--module_param")
    {
        Description = "Write one parameter, NAME=VALUE (after --module_params), e.g. --module_param quota_sz=104857600",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Commit { get; } = new("--module_commit")
    {
        Description = "SECONDS:FILE: at that simulated time, write FILE's parameters and commit them to the running module (commit_inputs)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><paramref name="withCommits"/>: --module_commit too (a run that plans commits at simulated times).</summary>
    public void AddTo(Command command, bool withCommits = true)
    {
        command.Options.Add(Module);
        command.Options.Add(ParamsFile);
        command.Options.Add(Param);
        if (withCommits)
            command.Options.Add(Commit);
    }

    /// <summary>
    /// The module --module names with its parameters, or null without --module; the module options
    /// without it, or with damo's DAMON options, are usage errors.
    /// </summary>
    public SimModule? ReadModule(ParseResult parse, IReadOnlyList<string> damoTokens)
    {
        string? name = parse.GetValue(Module);
        string? file = parse.GetValue(ParamsFile);
        string[] writes = parse.GetValue(Param) ?? [];
        bool commits = parse.GetResult(Commit) is { Tokens.Count: > 0 };
        if (name is null)
        {
            if (file is not null || writes.Length > 0 || commits)
                throw new UserError("--module_params, --module_param and --module_commit need --module", ExitCodes.UsageError);
            return null;
        }
        if (damoTokens.Count > 0)
            throw new UserError($"--module starts the module's own kdamond exclusively, as the kernel does; drop the DAMON options ({string.Join(' ', damoTokens)})", ExitCodes.UsageError);
        return SimModule.Create(name, file, writes);
    }

    /// <summary>Null without --module; the module options without it, or with damo's DAMON options, are usage errors.</summary>
    public ModuleRun? Read(ParseResult parse, SimRunRequest request)
    {
        if (ReadModule(parse, request.DamoTokens) is not { } module)
            return null;
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
            planned.Add(new ModuleCommit(atUs, c[(colon + 1)..]));
        }
        return new ModuleRun(module, [.. planned.OrderBy(p => p.AtUs)]);
    }
}
