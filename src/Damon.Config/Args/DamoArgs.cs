using System.Globalization;
using System.Text.RegularExpressions;

namespace Damon.Config.Args;

/// <summary>
/// damo's DAMON-parameter command line, split into option occurrences in the order given (argparse
/// semantics: a multi-value option takes words up to the next option; a repeated option appends).
/// The meaning is assigned by <see cref="KdamondsBuilder"/>.
/// </summary>
public sealed partial class DamoArgs
{
    private readonly Dictionary<string, List<string[]>> _values = new(StringComparer.Ordinal);

    /// <summary>The positional "deducible target": a pid, "paddr", or a kdamonds JSON/YAML file or string.</summary>
    public string? DeducibleTarget { get; private set; }

    /// <summary>Every occurrence of <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string[]> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    /// <summary>The single values of a one-value option, in order.</summary>
    public List<string> Singles(string name) => All(name).Select(v => v[0]).ToList();

    /// <summary>Whether the option was given at all (argparse's "not None").</summary>
    public bool Given(string name) => _values.ContainsKey(name);

    public bool Flag(string name) => _values.ContainsKey(name);

    /// <summary>The last occurrence of a store-style option, or null.</summary>
    public string[]? Last(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    /// <summary>Non-negative integer list of a store-style option (e.g. --nr_targets 1 1), or null.</summary>
    public List<int>? Ints(string name)
    {
        var last = Last(name);
        if (last is null) return null;
        var result = new List<int>(last.Length);
        foreach (var w in last)
        {
            if (!int.TryParse(w, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                throw new ConfigException($"--{name}: invalid int value: '{w}'");
            // Counts and indices; argparse would take a negative one and damo then misbehave.
            if (i < 0)
                throw new ConfigException($"--{name}: '{w}' must not be negative");
            result.Add(i);
        }
        return result;
    }

    public IEnumerable<string> GivenNames => _values.Keys;

    [GeneratedRegex(@"^-\d+$|^-\d*\.\d+$")]
    private static partial Regex NegativeNumber();

    private static bool IsOptionLike(string token) =>
        token.Length > 1 && token[0] == '-' && !NegativeNumber().IsMatch(token);

    public static DamoArgs Parse(IReadOnlyList<string> tokens)
    {
        var args = new DamoArgs();
        var positionals = new List<string>();
        bool onlyPositionals = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (onlyPositionals || !IsOptionLike(token))
            {
                positionals.Add(token);
                continue;
            }
            if (token == "--")
            {
                onlyPositionals = true;
                continue;
            }
            string? inlineValue = null;
            var name = token;
            int eq = token.IndexOf('=');
            if (token.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = token[..eq];
                inlineValue = token[(eq + 1)..];
            }
            var option = DamoOptionTable.Find(name) ?? throw new ConfigException($"unrecognized argument: {token}");
            var values = new List<string>();
            if (inlineValue is not null)
            {
                if (option.Arity is not (OptionArity.One or OptionArity.OneLast) && !(option.Arity == OptionArity.Exactly && option.Count == 1))
                    throw new ConfigException($"{name}: takes several values; give them as separate words");
                values.Add(inlineValue);
            }
            else if (option.Arity != OptionArity.Flag)
            {
                int want = option.Arity switch
                {
                    OptionArity.One or OptionArity.OneLast => 1,
                    OptionArity.Exactly => option.Count,
                    _ => int.MaxValue,
                };
                while (values.Count < want && i + 1 < tokens.Count && !IsOptionLike(tokens[i + 1]))
                    values.Add(tokens[++i]);
                if (values.Count == 0 || (want != int.MaxValue && values.Count != want))
                    throw new ConfigException(want == int.MaxValue || want == 1
                        ? $"{name}: expected {(want == 1 ? "one argument" : "at least one argument")}"
                        : $"{name}: expected {want} arguments");
            }
            args.Add(option, values.ToArray());
        }
        if (positionals.Count > 1)
            throw new ConfigException($"unrecognized arguments: {string.Join(' ', positionals.Skip(1))}");
        args.DeducibleTarget = positionals.Count == 1 ? positionals[0] : null;
        return args;
    }

    private void Add(DamoOption option, string[] values)
    {
        if (!_values.TryGetValue(option.Name, out var list))
            _values[option.Name] = list = [];
        if (option.Arity is OptionArity.OneLast or OptionArity.OneOrMoreLast or OptionArity.Flag)
            list.Clear();
        list.Add(values);
    }
}
