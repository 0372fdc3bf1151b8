using Damon.Core.Monitoring;
using Damon.Sim;

namespace Damon.Cli.Simulation;

/// <summary>
/// A simulation ready to run, with its contexts. Runs in slices of simulated time so that
/// cancellation, progress and periodic flushing are checked between slices.
/// </summary>
internal sealed class SimSession(SimRunRequest request, Damon.Sim.Running.Simulation sim, IReadOnlyList<SimContext> contexts)
{
    /// <summary>Simulated time per slice: short enough for Ctrl+C to feel immediate.</summary>
    private const ulong SliceUs = 50_000;

    public SimRunRequest Request { get; } = request;
    public Damon.Sim.Running.Simulation Sim { get; } = sim;
    public IReadOnlyList<SimContext> Contexts { get; } = contexts;

    public SimContext ContextOf(DamonContext ctx) => Contexts.First(c => ReferenceEquals(c.Ctx, ctx));

    /// <summary>When the workload's threads all finished before the requested duration (damo stops recording then too).</summary>
    public ulong? WorkloadFinishedUs { get; private set; }

    /// <summary>
    /// Runs until the requested duration, the end of the workload, or <paramref name="cancel"/>;
    /// returns false when cancelled.
    /// <paramref name="afterSlice"/> sees the simulated time after each slice.
    /// </summary>
    public bool Run(CancellationToken cancel, Action<ulong>? afterSlice = null)
    {
        ulong endUs = Request.DurationUs;
        try
        {
            Sim.Start();
            while (Sim.NowUs < endUs)
            {
                if (Sim.WorkloadFinished)
                {
                    WorkloadFinishedUs = Sim.NowUs;
                    break;
                }
                if (cancel.IsCancellationRequested)
                    return false;
                Sim.RunUntil(Math.Min(endUs, Sim.NowUs + SliceUs));
                afterSlice?.Invoke(Sim.NowUs);
            }
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
            Sim.Stop();
        }
        return !cancel.IsCancellationRequested || Sim.NowUs >= endUs || WorkloadFinishedUs is not null;
    }
}
