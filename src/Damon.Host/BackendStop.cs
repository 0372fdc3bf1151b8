namespace Damon.Host;

/// <summary>
/// The damon_stop half of <see cref="IDamonBackend"/> that every backend shares: <c>Stop</c> may
/// come from another thread or from an event handler while <c>Run</c> runs. Then the run ends at
/// its next check and the kdamonds are stopped by the run's own thread as it leaves, so the events
/// of their last iteration still arrive on the thread that receives all the others; outside a run
/// they are stopped at once. Either way <paramref name="stopKdamonds"/> runs exactly once.
/// </summary>
public sealed class BackendStop(Action stopKdamonds) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _cts = new();
    private bool _requested, _inRun, _stopped, _disposed;

    /// <summary>Stop was asked for (the run loop's check).</summary>
    public bool Requested => Volatile.Read(ref _requested);

    /// <summary>Cancelled when stop is asked for: link it with the caller's token to end a run's waits.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>A run begins; false when stop was already asked for (the run then ends as stopped at once).</summary>
    public bool TryEnterRun()
    {
        lock (_lock)
        {
            if (_requested)
                return false;
            _inRun = true;
            return true;
        }
    }

    /// <summary>A run ends (call it in a finally): a stop asked for during the run stops the kdamonds now.</summary>
    public void LeaveRun()
    {
        lock (_lock)
            _inRun = false;
        if (Requested)
            StopOnce();
    }

    /// <summary><see cref="IDamonBackend.Stop"/>: during a run, leaves the stopping to the run's thread.</summary>
    public void Request()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            if (!_requested)
            {
                _requested = true;
                _cts.Cancel();
            }
            if (_inRun)
                return;
        }
        StopOnce();
    }

    private void StopOnce()
    {
        lock (_lock)
        {
            if (_stopped)
                return;
            _stopped = true;
        }
        stopKdamonds();
    }

    /// <summary>Stops the kdamonds if they still run, then releases the token.</summary>
    public void Dispose()
    {
        Request();
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
        }
        _cts.Dispose();
    }
}
