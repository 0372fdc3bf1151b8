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

    private static readonly List<Conversion> Conversions = [];

    /// <summary>
    /// Marks a conversion of a complete journal into the record file: unlike a save, a forced exit
    /// does not wait for it but abandons it (<see cref="AbandonConversions"/>), since the journal
    /// already holds every snapshot. <paramref name="note"/> is the one line that then says where
    /// the record is and how to finish it.
    /// </summary>
    /// <param name="cleanUp">run by a forced exit that ends the process before the abandoned conversion has cleaned up (its temporary file)</param>
    public static Conversion BeginConversion(string note, Action cleanUp)
    {
        var conversion = new Conversion(note, cleanUp);
        lock (Lock)
            Conversions.Add(conversion);
        return conversion;
    }

    /// <summary>Cancels the conversions under way and returns them (none: nothing was abandoned).</summary>
    public static List<Conversion> AbandonConversions()
    {
        List<Conversion> abandoned;
        lock (Lock)
            abandoned = [.. Conversions];
        foreach (var conversion in abandoned) conversion.Abandon();
        return abandoned;
    }

    /// <summary>Runs the clean-ups of the conversions still under way (the process is about to end).</summary>
    public static void CleanUpConversions()
    {
        List<Conversion> left;
        lock (Lock)
            left = [.. Conversions];
        foreach (var conversion in left) conversion.CleanUp();
    }

    public sealed class Conversion(string note, Action cleanUp) : IDisposable
    {
        private readonly CancellationTokenSource _abandon = new();
        private readonly object _sayLock = new();
        private bool _said;

        public string Note => note;

        /// <summary>
        /// Writes the note unless it was written already: the command (stdout) and a forced exit that gave up waiting
        /// for it to return (stderr) may both get here, and exactly one line must say where the record is. The lock
        /// also keeps a forced exit from ending the process in the middle of the command's line.
        /// </summary>
        public void SayOnce(TextWriter w)
        {
            lock (_sayLock)
            {
                if (_said) return;
                _said = true;
                w.Write(note + "\n");
                w.Flush();
            }
        }

        /// <summary>Cancelled when a forced exit abandons the conversion.</summary>
        public CancellationToken Token => _abandon.Token;

        internal void Abandon() => _abandon.Cancel();

        internal void CleanUp() => cleanUp();

        public void Dispose()
        {
            lock (Lock)
                Conversions.Remove(this);
        }
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
