using System.CommandLine;

namespace Damon.Cli.Simulation;

/// <summary>
/// <c>--json [FILE]</c>: alone, the verb prints JSON instead of text; with a file, it prints text
/// and writes the JSON to the file (crash-safely).
/// </summary>
internal sealed class JsonOption
{
    public Option<string?> Option { get; } = new("--json")
    {
        Description = "Print JSON instead of text, or with FILE also write the JSON to FILE",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public JsonOption()
    {
        // damo's options pass through unparsed, so "--json --ops paddr" would otherwise write the JSON to a file named "--ops".
        Option.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var file }] && file.StartsWith('-'))
                result.AddError($"--json {file}: looks like an option, not a file; put --json last or give it a file name");
        });
    }

    public bool Given(ParseResult parse) => parse.GetResult(Option) is not null;

    /// <summary>Checks the JSON file's place before the run, so a typo in its directory costs nothing.</summary>
    public void CheckFile(ParseResult parse)
    {
        if (File(parse) is { } path)
            OutputFiles.CheckFileDirectory(path);
    }

    public string? File(ParseResult parse) => parse.GetValue(Option);

    /// <summary>Writes the JSON to stdout or to the file, as the option asks.</summary>
    public void Emit(ParseResult parse, TextWriter stdout, Action<Stream> write)
    {
        if (File(parse) is { } path)
        {
            OutputFiles.Write(path, write);
            return;
        }
        using var buffer = new MemoryStream();
        write(buffer);
        stdout.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        stdout.Write('\n');
    }
}
