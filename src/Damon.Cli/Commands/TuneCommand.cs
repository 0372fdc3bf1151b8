using System.CommandLine;
using Damon.Cli.Linux;
using Damon.Cli.Simulation;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon tune</c>: new parameters for the running kdamonds (kernel mode), as damo tune: the
/// whole tree staged again from damo's options, --kdamonds FILE or a --module's parameters, then
/// the <c>commit</c> command, which the kernel applies without stopping them (damon_commit_ctx).
/// </summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var linux = new LinuxOptions();
        var module = new ModuleOptions();
        var command = new Command("tune",
            "Commit new DAMON parameters to the kdamonds running in the kernel (kernel mode; a user-mode `damon start` is changed by restarting it)");
        linux.AddRoots(command);
        module.AddTo(command, simulated: false);
        linux.AddDamo(command);
        command.SetAction(parse =>
        {
            var machine = linux.Read(parse);
            var tokens = linux.ReadDamo(parse);
            var mod = module.ReadModule(parse, tokens);
            var tree = machine.OpenAdmin("tune", write: true);
            var spec = mod is null ? LinuxSpecs.Build(tokens, machine) : KernelRun.SpecOf(LinuxModules.Stage(mod, machine));
            return LinuxErrors.Run(() =>
            {
                parse.InvocationConfiguration.Output.Write(KernelRun.Tune(tree, spec));
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
