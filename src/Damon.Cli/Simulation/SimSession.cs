using Damon.Core.Monitoring;
using Damon.Sim;

namespace Damon.Cli.Simulation;

/// <summary>
/// A simulation ready to run, with its contexts. Runs in slices of simulated time so that
/// progress and periodic flushing are seen between slices; cancellation is checked inside the
/// slices too (between kdamond iterations and workload batches), because one slice can take
/// unbounded wall time with tiny intervals or huge region counts.
/// </summary>
internal sealed class SimSession(SimRunRequest request, Damon.Sim.Running.Simulation sim, IReadOnlyList<SimContext> contexts)
{
    /// <summary>Simulated time per slice: how often progress, module commits and flushes are looked at.</summary>
    private const ulong SliceUs = 50_000;

    public SimRunRequest Request { get; } = request;
    public Damon.Sim.Running.Simulation Sim { get; } = sim;
    public IReadOnlyList<SimContext> Contexts { get; } = contexts;

    public SimContext ContextOf(DamonContext ctx) => Contexts.First(c => ReferenceEquals(c.Ctx, ctx));

    /// <summary>When the workload's threads all finished before the requested duration (damo stops recording then too).</summary>
    public ulong? WorkloadFinishedUs { get; private set; }

    /// <summary>True when the last <see cref="Run"/> was cancelled before reaching its end.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>
    /// Runs until the requested duration, the end of the workload, or <paramref name="cancel"/>;
    /// returns false when cancelled. What was captured up to the cancel (snapshots already
    /// raised) stays valid: the run stops at an iteration or batch boundary.
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
                cancel.ThrowIfCancellationRequested();
                Sim.RunUntil(Math.Min(endUs, Sim.NowUs + SliceUs), cancel);
                afterSlice?.Invoke(Sim.NowUs);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Interrupted = true;
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
        return !Interrupted;
    }
}
