using System.CommandLine;
using System.Reflection;

namespace Damon.Cli.Commands;

/// <summary><c>damon version</c>: the version, as <c>damo version</c> prints damo's; the same text as <c>damon --version</c>.</summary>
public static class VersionCommand
{
    /// <summary>The informational version (with the source revision the SDK appends), which --version prints too.</summary>
    public static string Text =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static Command Create()
    {
        var command = new Command("version", "Print the version of damon");
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.WriteLine(Text);
            return ExitCodes.Ok;
        });
        return command;
    }
}
