using System.Text.RegularExpressions;

namespace Damon.Cli;

/// <summary>
/// System.CommandLine's own parse-error messages in Damon's form: "OPTION VALUE: what is wrong",
/// without .NET type names. Numeric options parse their values themselves (Values/OptionValues),
/// so this is the safety net for the rest.
/// </summary>
public static partial class ParseErrors
{
    /// <summary>
    /// The error to show: the first, except that a mistyped verb ("damon recrod") is named rather
    /// than reported as a missing one.
    /// </summary>
    public static System.CommandLine.Parsing.ParseError MainError(IReadOnlyList<System.CommandLine.Parsing.ParseError> errors)
    {
        if (errors[0].SymbolResult is System.CommandLine.Parsing.CommandResult
            && errors.FirstOrDefault(e => Unrecognized().IsMatch(e.Message)) is { } typo)
            return typo;
        return errors[0];
    }

    public static string Describe(System.CommandLine.Parsing.ParseError error)
    {
        if (error.SymbolResult is System.CommandLine.Parsing.CommandResult c && error.Message.StartsWith("Required command", StringComparison.Ordinal))
        {
            var path = new List<string>();
            for (var r = c; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
                path.Insert(0, r.Command.Name);
            string verb = string.Join(' ', ["damon", .. path]);
            return path.Count == 0
                ? "a verb is missing (see 'damon --help')"
                : $"{verb}: a subcommand is missing (see '{verb} --help')";
        }
        string? option = error.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.IdentifierToken?.Value ?? o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.IdentifierToken?.Value ?? o.Option.Name,
            _ => null,
        };
        return Describe(error.Message, option);
    }

    public static string Describe(string message, string? option = null)
    {
        var choice = NotAmong().Match(message);
        if (choice.Success)
        {
            var allowed = string.Join(", ", Quoted().Matches(choice.Groups["list"].Value).Select(q => q.Groups[1].Value));
            return $"{(option is null ? "" : option + " ")}{choice.Groups["value"].Value}: not one of {allowed}";
        }
        var m = CannotParse().Match(message);
        if (m.Success)
            return $"{m.Groups["option"].Value} {m.Groups["value"].Value}: not {Kind(m.Groups["type"].Value)}";
        m = Unrecognized().Match(message);
        if (m.Success)
            return $"unrecognized argument: {m.Groups["token"].Value} (see 'damon --help')";
        m = ArgumentMissing().Match(message);
        if (m.Success)
            return $"{m.Groups["option"].Value}: a value is missing (see 'damon --help')";
        m = Required().Match(message);
        if (m.Success)
            return $"{m.Groups["option"].Value}: required";
        return message.TrimEnd('.');
    }

    private static string Kind(string type) => type switch
    {
        "System.Boolean" => "true or false",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        _ when type.StartsWith("System.Int", StringComparison.Ordinal) || type.StartsWith("System.UInt", StringComparison.Ordinal)
            || type is "System.Byte" or "System.SByte" => "a whole number",
        _ => "a valid value",
    };

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command|argument) '(?<option>[^']*)' as expected type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Argument '(?<value>.*?)' not recognized\. Must be one of:(?<list>.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmong();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Required argument missing for (?:option|command): '(?<option>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex ArgumentMissing();

    [GeneratedRegex(@"^Option '(?<option>[^']*)' is required\.?$", RegexOptions.Singleline)]
    private static partial Regex Required();
}
