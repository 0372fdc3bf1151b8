namespace Damon.Modules.Common;

/// <summary>
/// A module parameter the kernel would refuse (-EINVAL), or a config file entry that is not a
/// valid parameter. The message names the file (when there is one), the parameter by its kernel
/// name, and the rule it broke.
/// </summary>
public sealed class ModuleParamException : Exception
{
    public ModuleParamException(string field, string rule, string? file = null, Exception? inner = null)
        : base(Format(file, field, rule), inner)
    {
        File = file;
        Field = field;
        Rule = rule;
    }

    public string? File { get; }
    /// <summary>The kernel parameter name, e.g. <c>min_nr_regions</c>.</summary>
    public string Field { get; }
    public string Rule { get; }

    public ModuleParamException WithFile(string file) => new(Field, Rule, file, InnerException);

    /// <summary>The file itself is the problem (missing, a directory, unreadable): no parameter to name.</summary>
    public static ModuleParamException ForFile(string file, string rule, Exception? inner = null) => new("", rule, file, inner);

    private static string Format(string? file, string field, string rule)
        => field.Length == 0 ? $"{file}: {rule}" : file is null ? $"{field}: {rule}" : $"{file}: {field}: {rule}";
}
