using System.CommandLine;
using System.Globalization;

namespace Damon.Cli.Simulation;

/// <summary>A parameter file to commit to the running module at a simulated time.</summary>
internal sealed record ModuleCommit(ulong AtUs, string File);

/// <summary>The module a simulated run starts instead of damo-described contexts, and its planned re-commits.</summary>
internal sealed record ModuleRun(SimModule Module, IReadOnlyList<ModuleCommit> Commits);

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

    public void AddTo(Command command)
    {
        command.Options.Add(Module);
        command.Options.Add(ParamsFile);
        command.Options.Add(Param);
        command.Options.Add(Commit);
    }

    /// <summary>Null without --module; the module options without it, or with damo's DAMON options, are usage errors.</summary>
    public ModuleRun? Read(ParseResult parse, SimRunRequest request)
    {
        string? name = parse.GetValue(Module);
        string? file = parse.GetValue(ParamsFile);
        string[] writes = parse.GetValue(Param) ?? [];
        string[] commits = parse.GetValue(Commit) ?? [];
        if (name is null)
        {
            if (file is not null || writes.Length > 0 || commits.Length > 0)
                throw new UserError("--module_params, --module_param and --module_commit need --module", ExitCodes.UsageError);
            return null;
        }
        if (request.DamoTokens.Count > 0)
            throw new UserError($"--module starts the module's own kdamond exclusively, as the kernel does; drop the DAMON options ({string.Join(' ', request.DamoTokens)})", ExitCodes.UsageError);
        var module = SimModule.Create(name, file, writes);
        var planned = new List<ModuleCommit>();
        foreach (string c in commits)
        {
            int colon = c.IndexOf(':');
            if (colon <= 0 || !double.TryParse(c[..colon], NumberStyles.Float, CultureInfo.InvariantCulture, out double sec) || !(sec >= 0) || sec > 1e7)
                throw new UserError($"--module_commit {c}: must be SECONDS:FILE with SECONDS a non-negative number", ExitCodes.UsageError);
            string path = c[(colon + 1)..];
            module.CheckCommitFile(path);
            planned.Add(new ModuleCommit((ulong)(sec * 1_000_000), path));
        }
        return new ModuleRun(module, [.. planned.OrderBy(p => p.AtUs)]);
    }
}
