namespace Damon.Fuzz.Tests;

/// <summary>
/// A numeric option of a verb: its valid values (one per argument it takes), the arguments the verb
/// needs around it, and how the value is written (plain, or inside a NAME=VALUE or spec).
/// </summary>
internal sealed record NumericOption(string[] Verb, string Option, string[] Valid, string[] Around)
{
    /// <summary>Writes the value into its argument; the identity unless the number sits inside text.</summary>
    public Func<string, string> Wrap { get; init; } = v => v;

    /// <summary>
    /// The command line with some of the values replaced: each argument keeps its valid value with
    /// probability 1/2, so later arguments are reached too.
    /// </summary>
    public (string[] Args, string Values) Build(Random r)
    {
        var values = Valid.Select(v => r.Next(2) == 0 ? v : NastyValues.Option(r)).ToArray();
        if (values.SequenceEqual(Valid)) values[r.Next(values.Length)] = NastyValues.Option(r);
        string[] option = Option.Length == 0 ? [] : [Option];
        return ([.. Verb, .. Around, .. option, .. values.Select(Wrap)], string.Join(" | ", values.Select(v => $"'{v}'")));
    }
}
