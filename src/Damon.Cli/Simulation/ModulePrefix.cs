namespace Damon.Cli.Simulation;

/// <summary>
/// Which running module a per-module option value is for. With one <c>--module</c> the value
/// may go bare; with several it must name its module, by the module's name or by that name
/// without <c>damon_</c>: <c>--module_param reclaim.quota_sz=VALUE</c> (the parameter names have
/// no dot), <c>--module_params reclaim=FILE</c> and <c>--module_commit SECONDS:reclaim=FILE</c>
/// (a file name whose part before its first <c>=</c> is a module name must be written with a
/// directory, e.g. <c>./tier=x.yaml</c>).
/// </summary>
internal static class ModulePrefix
{
    /// <summary><c>damon_reclaim</c> → <c>reclaim</c>; a name without <c>damon_</c> has no short form.</summary>
    public static string ShortName(string module) => module.StartsWith("damon_", StringComparison.Ordinal) ? module["damon_".Length..] : module;

    /// <summary>The known module <paramref name="prefix"/> names (by full or short name), or null.</summary>
    public static string? Resolve(string prefix) =>
        SimModule.Names.FirstOrDefault(n => n == prefix || ShortName(n) == prefix);

    /// <summary><c>[MODULE.]NAME=VALUE</c> of --module_param: the module it writes and the bare write.</summary>
    public static (string Module, string Write) OfParam(string write, IReadOnlyList<string> running)
    {
        int eq = write.IndexOf('=');
        string name = eq < 0 ? write : write[..eq];
        int dot = name.IndexOf('.');
        if (dot < 0)
            return (Bare("--module_param", write, running, $"{ShortName(running[0])}.{write}"), write);
        string prefix = name[..dot];
        string module = Resolve(prefix)
            ?? throw new UserError($"--module_param {write}: '{prefix}' is not a module (known: {string.Join(", ", SimModule.Names)})", ExitCodes.UsageError);
        return (Running("--module_param", write, module, running), write[(dot + 1)..]);
    }

    /// <summary><c>[MODULE=]FILE</c> of --module_params and --module_commit: the module and the file.</summary>
    public static (string Module, string File) OfFile(string option, string shown, string value, IReadOnlyList<string> running)
    {
        int eq = value.IndexOf('=');
        if (eq > 0 && Resolve(value[..eq]) is { } module)
            return (Running(option, shown, module, running), value[(eq + 1)..]);
        string example = option == "--module_commit" ? $"{shown[..(shown.Length - value.Length)]}{ShortName(running[0])}={value}" : $"{ShortName(running[0])}={value}";
        return (Bare(option, shown, running, example), value);
    }

    private static string Bare(string option, string shown, IReadOnlyList<string> running, string example) =>
        running.Count == 1 ? running[0]
        : throw new UserError($"{option} {shown}: several modules run ({string.Join(", ", running)}); name the module it is for, e.g. {option} {example}",
            ExitCodes.UsageError);

    private static string Running(string option, string shown, string module, IReadOnlyList<string> running) =>
        running.Contains(module) ? module
        : throw new UserError($"{option} {shown}: {module} is not among the --module given ({string.Join(", ", running)})", ExitCodes.UsageError);
}
