using System.Runtime.InteropServices;
using Damon.Linux.Backend;

namespace Damon.Guest.Proof;

/// <summary>
/// Damon.Guest.dll --child VERB ...: Damon started in a process of its own, for what a case cannot do in-process
/// (run as another user) and for tools/testbed/scenarios/tierprobe.sh's `damon` policy (DAMON_START), until the
/// real-Linux CLI does the same:
///   tier-run user|kernel PARAMS_FILE STARTED_FILE  TIER until SIGTERM/SIGINT; STARTED_FILE is created once it runs
///   tier-start user|kernel PARAMS_FILE             start TIER and stop it at once (exit 0), or print the refusal
/// A refusal or failure is one line on stderr, exit 4 (as the CLI's rejected configuration).
/// </summary>
public static class ProofChild
{
    public static int Run(string[] args)
    {
        if (args.Length < 3 || !TryMode(args[1], out var mode) || (args[0] == "tier-run" && args.Length < 4)
            || args[0] is not ("tier-run" or "tier-start"))
        {
            Console.Error.WriteLine("damon-guest: --child tier-run user|kernel PARAMS STARTED_FILE | tier-start user|kernel PARAMS");
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
            if (args[0] == "tier-run")
            {
                using var done = new ManualResetEventSlim();
                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; done.Set(); });
                using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; done.Set(); });
                File.WriteAllText(args[3], $"{Environment.ProcessId}\n");
                Console.WriteLine($"damon-guest: TIER running in {mode} mode ({args[2]})");
                while (!done.Wait(1000) && run.Failure is null) { }
            }
            run.Stop();
            Console.Write(run.Notices);
            foreach (string line in run.Backend.Problems.SummaryLines()) Console.WriteLine(line);
            Console.WriteLine($"damon-guest: {run.NrAggregations} aggregations, end {run.End?.Reason.ToString() ?? "none"}");
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
