using System.CommandLine;
using Damon.Cli.Linux;
using Damon.Cli.Simulation;
using Damon.Cli.Values;
using Damon.Linux.Backend;

namespace Damon.Cli.Commands;

/// <summary>
/// <c>damon start</c>: DAMON on the real kernel, as damo start. Kernel mode writes the kdamonds
/// (damo's DAMON options, --kdamonds FILE or a --module) to sysfs, turns them on and exits, leaving
/// the kernel running them. User mode runs Damon's own DAMOS on the kernel's monitoring, so it
/// cannot outlive the process: it stays in the foreground until Ctrl+C, SIGTERM or --timeout.
/// </summary>
public static class StartCommand
{
    public static Command Create()
    {
        var linux = new LinuxOptions();
        var module = new ModuleOptions();
        var timeout = OptionValues.Seconds("--timeout",
            "User mode: stop after this much time (a bare number is seconds); default: until Ctrl+C or SIGTERM", null);
        var command = new Command("start",
            "Start DAMON on the real kernel. --mode kernel (default): write the kdamonds to sysfs, turn them on and exit; they run until "
            + "`damon stop`. --mode user: the kernel monitors and Damon runs the schemes (and modules) itself, so it runs in the foreground, "
            + "printing a status line every 5 s, until Ctrl+C, SIGTERM or --timeout, and turns the kdamonds off when it ends");
        linux.AddRoots(command);
        linux.AddMode(command);
        module.AddTo(command, simulated: false);
        command.Options.Add(timeout);
        linux.AddDamo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var machine = linux.Read(parse);
            var tokens = linux.ReadDamo(parse);
            var mods = module.ReadModules(parse, tokens);
            if (mods.Count > 1 && machine.Mode == LinuxBackendMode.Kernel)
                throw new UserError($"--module: {string.Join(", ", mods.Select(m => m.Name))}: the kernel starts every module as its own exclusive kdamond; "
                    + "several modules share one context with --mode user", ExitCodes.UsageError);
            ulong? timeoutUs = parse.GetResult(timeout) is { Implicit: false } ? parse.GetValue(timeout).Us : null;
            if (timeoutUs is not null && machine.Mode == LinuxBackendMode.Kernel)
                throw new UserError("--timeout: kernel mode's kdamonds outlive `damon start` (end them with `damon stop`); --timeout is for --mode user",
                    ExitCodes.UsageError);
            var tree = machine.OpenAdmin("start", write: true);
            var staged = mods.Count == 0 ? null : mods.Count == 1 ? LinuxModules.Stage(mods[0], machine) : LinuxModules.StageShared(mods, machine);
            var spec = staged is null ? LinuxSpecs.Build(tokens, machine) : null;
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (machine.Mode == LinuxBackendMode.Kernel)
                return LinuxErrors.Run(() =>
                {
                    stdout.Write(KernelRun.Start(tree, spec ?? KernelRun.SpecOf(staged!)));
                    return ExitCodes.Ok;
                });
            // Off the invocation thread, so that Ctrl+C reaches the token while the engine runs.
            return await Task.Run(() => LinuxErrors.Run(() => UserModeRun.Run(tree, machine, spec, staged, timeoutUs, stdout, stderr, cancel)));
        });
        return command;
    }
}
