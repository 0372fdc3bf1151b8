namespace Damon.Core.Monitoring;

/// <summary>
/// damon_call_control: a function the kdamond runs between two sampling intervals, where it may
/// read or change the context safely. A repeating call runs every iteration until cancelled.
/// </summary>
public sealed class DamonCallControl
{
    internal DamonCallControl(Action<DamonContext> fn, bool repeat)
    {
        Fn = fn;
        Repeat = repeat;
    }

    internal Action<DamonContext> Fn { get; }
    public bool Repeat { get; }
    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    internal volatile bool CancelRequested;

    /// <summary>Completes after the (last) run, or faults with -ECANCELED if the kdamond ended first.</summary>
    public Task Task => Completion.Task;

    /// <summary>Stop a repeating call; it is removed before its next run.</summary>
    public void Cancel() => CancelRequested = true;
}
