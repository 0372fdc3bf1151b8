using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;
using Damon.Core.Util;

namespace Damon.Cli.Values;

/// <summary>
/// Options whose values are numbers, sizes or durations, all read by the one grammar of
/// Damon.Core.Util (commas only between thousands, damo's units) and all refusing a bad value at
/// parse time with one line, "OPTION VALUE: what is wrong", and exit 2, instead of
/// System.CommandLine's message naming a .NET type.
/// </summary>
internal static class OptionValues
{
    public const ulong UsPerSec = 1_000_000;

    /// <summary>The most simulated or wall time a run may ask for: ten million seconds (about 116 days).</summary>
    public const ulong MaxRunUs = 10_000_000 * UsPerSec;

    /// <summary>A duration in microseconds; a bare number is seconds (Damon's own options).</summary>
    public static Option<DurationUs> Seconds(string name, string description, string? dflt, bool positive = true, ulong maxUs = MaxRunUs,
        params string[] aliases) =>
        Duration(name, description, dflt, DurationText.NsPerSec, positive, maxUs, aliases);

    /// <summary>A duration in microseconds whose bare numbers are in <paramref name="bareUnitNs"/> (damo's options keep damo's unit).</summary>
    public static Option<DurationUs> Duration(string name, string description, string? dflt, ulong bareUnitNs, bool positive, ulong maxUs,
        params string[] aliases)
    {
        string examples = bareUnitNs == DurationText.NsPerSec ? DurationText.SecondsExamples
            : bareUnitNs == DurationText.NsPerUs ? "e.g. 100000 (microseconds), 100ms, 1s" : "e.g. 100ms, 1s";
        var option = new Option<DurationUs>(name, aliases) { Description = description };
        option.CustomParser = result => ParseOne(result, text =>
        {
            if (!DurationText.TryParseUs(text, bareUnitNs, out ulong us, out string problem))
                return Fail<DurationUs>(problem == NumberText.NotANumber ? $"not a duration ({examples})"
                    : problem.StartsWith("too large", StringComparison.Ordinal) ? $"too long (at most {new DurationUs(maxUs)})" : problem);
            if (positive && us == 0) return Fail<DurationUs>("must be more than 0");
            if (us > maxUs) return Fail<DurationUs>($"too long (at most {new DurationUs(maxUs)})");
            return (true, new DurationUs(us), "");
        });
        if (dflt is not null)
            option.DefaultValueFactory = _ => new DurationUs(Parse(dflt, bareUnitNs));
        return option;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>]; null default when not given.</summary>
    public static Option<T> Integer<T>(string name, string description, T min, T max, T? dflt = null, params string[] aliases)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var option = new Option<T>(name, aliases) { Description = description };
        option.CustomParser = result => ParseOne(result, text => ParseInteger(text, min, max));
        if (dflt is T d)
            option.DefaultValueFactory = _ => d;
        return option;
    }

    /// <summary>An optional integer (absent: null).</summary>
    public static Option<T?> OptionalInteger<T>(string name, string description, T min, T max, params string[] aliases)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var option = new Option<T?>(name, aliases) { Description = description };
        option.CustomParser = result => ParseOne<T?>(result, text =>
        {
            var (ok, v, why) = ParseInteger(text, min, max);
            return (ok, v, why);
        });
        return option;
    }

    /// <summary>Several integers (the arity is the caller's), each in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<T[]> Integers<T>(string name, string description, ArgumentArity arity, T min, T max, params string[] aliases)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var option = new Option<T[]>(name, aliases)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = true,
            Arity = arity,
        };
        option.CustomParser = result => ParseEach(result, text => ParseInteger(text, min, max));
        return option;
    }

    /// <summary>Several finite numbers (fractions allowed).</summary>
    public static Option<double[]> Numbers(string name, string description, ArgumentArity arity)
    {
        var option = new Option<double[]>(name)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = true,
            Arity = arity,
        };
        option.CustomParser = result => ParseEach(result, text =>
        {
            // Negative weights are meaningful (damo's temperature weights may be), so only the grammar is checked.
            string t = text.Trim();
            bool negative = t.StartsWith('-');
            if (!NumberText.TryParseDecimal(negative ? t[1..] : t, out decimal d, out string problem))
                return Fail<double>(problem == NumberText.NotANumber ? "not a number" : problem);
            return (true, (double)(negative ? -d : d), "");
        });
        return option;
    }

    /// <summary>
    /// Parses one size of a list or a command-line value, for callers that split values themselves.
    /// </summary>
    public static (bool Ok, ulong Value, string Problem) ParseSize(string text, bool positive)
    {
        if (!SizeText.TryParse(text, out ulong bytes, out string problem)) return Fail<ulong>(problem);
        if (positive && bytes == 0) return Fail<ulong>("must be more than 0");
        return (true, bytes, "");
    }

    /// <summary>Parses a duration for callers that read it from a compound value (e.g. SECONDS:FILE).</summary>
    public static (bool Ok, ulong Us, string Problem) ParseSecondsUs(string text)
    {
        if (!DurationText.TryParseUs(text, DurationText.NsPerSec, out ulong us, out string problem))
            return Fail<ulong>(problem == NumberText.NotANumber ? $"not a duration ({DurationText.SecondsExamples})" : problem);
        return (true, us, "");
    }

    /// <summary>"OPTION VALUE: problem", naming the option as the user spelled it (an alias, say).</summary>
    public static string Message(ArgumentResult result, string value, string problem) =>
        $"{OptionToken(result)} {value}: {problem}";

    private static string OptionToken(ArgumentResult result) =>
        result.Parent is OptionResult o ? o.IdentifierToken?.Value ?? o.Option.Name : result.Argument.Name;

    private static (bool, T, string) Fail<T>(string problem) => (false, default!, problem);

    private static (bool, T, string) ParseInteger<T>(string text, T min, T max) where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        NumberText.TryParseInteger(text, min, max, out T v, out string problem)
            ? (true, v, "")
            : Fail<T>(problem == NumberText.NotANumber ? "not a whole number" : problem);

    private static T ParseOne<T>(ArgumentResult result, Func<string, (bool Ok, T Value, string Problem)> parse)
    {
        if (result.Tokens.Count == 0)
        {
            result.AddError($"{OptionToken(result)}: a value is missing");
            return default!;
        }
        string text = result.Tokens[^1].Value;
        var (ok, value, problem) = parse(text);
        if (ok) return value;
        result.AddError(Message(result, text, problem));
        return default!;
    }

    private static T[] ParseEach<T>(ArgumentResult result, Func<string, (bool Ok, T Value, string Problem)> parse)
    {
        var values = new T[result.Tokens.Count];
        for (int i = 0; i < values.Length; i++)
        {
            string text = result.Tokens[i].Value;
            var (ok, value, problem) = parse(text);
            if (!ok)
            {
                result.AddError(Message(result, text, problem));
                return [];
            }
            values[i] = value;
        }
        return values;
    }

    private static ulong Parse(string dflt, ulong bareUnitNs) =>
        DurationText.TryParseUs(dflt, bareUnitNs, out ulong us, out _) ? us : throw new ArgumentException(dflt);
}
