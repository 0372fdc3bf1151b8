using Damon.Config.Schema;
using Damon.Host;
using Damon.Host.Sim;
using Damon.Sim;

namespace Damon.Cli.Simulation;

/// <summary>
/// A simulated run ready to go: the request, the backend with its started contexts. The verbs
/// drive <see cref="Backend"/> through the host contract; <see cref="Sim"/> is the same backend
/// for what only the simulator has (machine, workload, hot set, processes).
/// </summary>
internal sealed class SimSession(SimRunRequest request, SimBackend sim)
{
    public SimRunRequest Request { get; } = request;
    public IDamonBackend Backend => Sim;
    public SimBackend Sim { get; } = sim;
    public IReadOnlyList<BackendContext> Contexts => Sim.Contexts;

    /// <summary>When the workload's threads all finished before the requested duration (damo stops recording then too).</summary>
    public ulong? WorkloadFinishedUs { get; private set; }

    /// <summary>True when the last <see cref="Run"/> was cancelled before reaching its end.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>Each context's status entry, for the header and the summary.</summary>
    public ContextSpec StatusOf(KdamondsSpec status, BackendContext c)
    {
        // The tree lists the kdamonds that have contexts, in index order.
        int k = Contexts.Select(x => x.KdamondIdx).Distinct().Order().ToList().IndexOf(c.KdamondIdx);
        return status.Kdamonds[k].Contexts[c.ContextIdx];
    }

    /// <summary>
    /// Runs until the requested duration, the end of the workload, or <paramref name="cancel"/>,
    /// then stops the kdamonds; returns false when cancelled. What was captured up to the cancel
    /// (snapshots already raised) stays valid: the run stops at an iteration or batch boundary.
    /// <paramref name="afterSlice"/> sees each slice's end.
    /// </summary>
    public bool Run(CancellationToken cancel, Action<RunSlice>? afterSlice = null)
    {
        void OnSlice(RunSlice s) => afterSlice!(s);
        if (afterSlice is not null)
            Backend.SliceEnded += OnSlice;
        try
        {
            var end = Backend.Run(RunLimit.ForUs(Request.DurationUs), cancel);
            Interrupted = end.Reason == RunEndReason.Cancelled;
            if (end.Reason == RunEndReason.TargetsGone)
                WorkloadFinishedUs = end.EndUs;
        }
        catch (SimulationException e)
        {
            throw new UserError($"simulation: {e.Message}", ExitCodes.ConfigRejected);
        }
        catch (Damon.Sim.Workloads.WorkloadFormatException e)
        {
            // Trace workloads read their file lazily, so damage past the setup blocks is met here.
            throw new UserError($"--workload: {e.Message}", ExitCodes.InputError);
        }
        finally
        {
            if (afterSlice is not null)
                Backend.SliceEnded -= OnSlice;
            Backend.Stop();
        }
        return !Interrupted;
    }
}
