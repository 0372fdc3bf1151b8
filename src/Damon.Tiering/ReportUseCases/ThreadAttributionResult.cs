namespace Damon.Tiering.ReportUseCases;

/// <summary>
/// Per-thread attribution scored by bytes over every scored aggregation of every thread's context:
/// <see cref="Precision"/> = bytes a context called hot that lie in its thread's hot range / bytes
/// it called hot; <see cref="Recall"/> = those bytes / the hot ranges' bytes.
/// </summary>
public sealed record ThreadAttributionResult(ulong AttributedBytes, ulong CorrectBytes, ulong TrueBytes, int NrWindows)
{
    public double Precision => AttributedBytes == 0 ? 0 : (double)CorrectBytes / AttributedBytes;
    public double Recall => TrueBytes == 0 ? 0 : (double)CorrectBytes / TrueBytes;
}
