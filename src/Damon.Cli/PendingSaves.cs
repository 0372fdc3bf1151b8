namespace Damon.Cli;

/// <summary>
/// Saves of what a run recorded that a forced exit must wait for: when Ctrl+C's grace period
/// ends while a record file is being written, ending the process would lose the final snapshots
/// (the temporary file would never be renamed over the last flush).
/// </summary>
internal static class PendingSaves
{
    private static readonly object Lock = new();
    private static int _nrActive;

    /// <summary>Marks a save in progress until the returned scope is disposed.</summary>
    public static IDisposable Enter()
    {
        lock (Lock)
            _nrActive++;
        return new Scope();
    }

    /// <summary>Blocks until no save is in progress; true if there was one to wait for.</summary>
    public static bool WaitIdle()
    {
        bool waited = false;
        lock (Lock)
            while (_nrActive > 0)
            {
                waited = true;
                Monitor.Wait(Lock);
            }
        return waited;
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            lock (Lock)
            {
                _nrActive--;
                Monitor.PulseAll(Lock);
            }
        }
    }
}
