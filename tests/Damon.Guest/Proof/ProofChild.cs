using System.Runtime.InteropServices;
using Damon.Linux.Backend;

namespace Damon.Guest.Proof;

/// <summary>
/// Damon.Guest.dll --child tier-run user|kernel PARAMS_FILE STARTED_FILE: Damon's TIER (<see cref="DamonRun.Tier"/>,
/// the Linux backend with the module's staged context, as `damon start --module damon_tier` stages it) in a process of
/// its own until SIGTERM/SIGINT, for tools/testbed/scenarios/tierprobe.sh's `damon` policy (DAMON_START);
/// STARTED_FILE is created once it runs. A refusal or failure is one line on stderr, exit 4.
/// </summary>
public static class ProofChild
{
    public static int Run(string[] args)
    {
        if (args.Length != 4 || args[0] != "tier-run" || !TryMode(args[1], out var mode))
        {
            Console.Error.WriteLine("damon-guest: --child tier-run user|kernel PARAMS STARTED_FILE");
            return 2;
        }
        DamonRun run;
        try
        {
            run = DamonRun.Tier(mode, args[2]);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e.Message.StartsWith("damon: ", StringComparison.Ordinal) ? e.Message : $"damon: {e.Message}");
            return 4;
        }
        using (run)
        {
            using (var done = new ManualResetEventSlim())
            using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; done.Set(); }))
            using (PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; done.Set(); }))
            {
                File.WriteAllText(args[3], $"{Environment.ProcessId}\n");
                Console.WriteLine($"damon-guest: TIER running in {mode} mode ({args[2]})");
                while (!done.Wait(1000) && run.Failure is null) { }
            }
            run.Stop();
            Console.Write(run.Notices);
            foreach (string line in run.Backend.Problems.SummaryLines()) Console.WriteLine(line);
            Console.WriteLine($"damon-guest: {run.NrAggregations} aggregations, end {run.End?.Reason.ToString() ?? "none"}");
            Console.WriteLine($"damon-guest: {run.Backend.Times.Summary()}");
            if (run.Failure is not null)
            {
                Console.Error.WriteLine($"damon: {run.Failure.Message}");
                return 4;
            }
        }
        return 0;
    }

    private static bool TryMode(string s, out LinuxBackendMode mode)
    {
        mode = s == "kernel" ? LinuxBackendMode.Kernel : LinuxBackendMode.User;
        return s is "user" or "kernel";
    }
}
