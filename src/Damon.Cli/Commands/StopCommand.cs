using System.CommandLine;
using Damon.Cli.Linux;

namespace Damon.Cli.Commands;

/// <summary><c>damon stop</c>: every running kdamond of the kernel off, as damo stop.</summary>
public static class StopCommand
{
    public static Command Create()
    {
        var linux = new LinuxOptions();
        var command = new Command("stop", "Turn off every kdamond running in the kernel (what `damon start` left running)");
        linux.AddRoots(command);
        command.SetAction(parse =>
        {
            var tree = linux.Read(parse).OpenAdmin("stop", write: true);
            return LinuxErrors.Run(() =>
            {
                parse.InvocationConfiguration.Output.Write(KernelRun.Stop(tree));
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
