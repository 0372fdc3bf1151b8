namespace Damon.Sim.Tests.Traces;

/// <summary>A temporary file path deleted on dispose.</summary>
public sealed class TempPath : IDisposable
{
    public TempPath(string ext = ".dtrace") =>
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"damon-test-{Environment.ProcessId}-{Guid.NewGuid():N}{ext}");

    public string Path { get; }

    public void Dispose()
    {
        if (File.Exists(Path)) File.Delete(Path);
    }
}
