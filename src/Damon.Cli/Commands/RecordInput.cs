using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Records.Reports;

namespace Damon.Cli.Commands;

/// <summary>Loads record files for the record and report verbs, turning input problems into one-line user errors.</summary>
internal static class RecordInput
{
    /// <summary>damo's default record file name, looked up in the working directory.</summary>
    public const string DefaultPath = "damon.data";

    public static List<DamonRecord> Load(string path)
    {
        CheckExists(path);
        return Reading(() => RecordFiles.Read(path), path);
    }

    /// <summary>
    /// The record file as a stream (<see cref="RecordSource.OfFile"/>) for the reports that read it
    /// in passes; its problems become the same one-line user errors as <see cref="Load"/>'s, raised
    /// as a pass reaches them (before anything is written: reports print when every pass is done).
    /// </summary>
    public static RecordSource Stream(string path)
    {
        CheckExists(path);
        return new RecordSource(() => Translated(RecordFiles.ReadEvents(path), path));
    }

    private static void CheckExists(string path)
    {
        if (Directory.Exists(path))
            throw new UserError($"{path}: is a directory, not a record file");
        if (!RecordFiles.Exists(path))
            throw new UserError($"{path}: record file not found");
    }

    private static IEnumerable<RecordEvent> Translated(IEnumerable<RecordEvent> events, string path)
    {
        using var e = Reading(events.GetEnumerator, path);
        while (Reading(e.MoveNext, path)) yield return e.Current;
    }

    private static T Reading<T>(Func<T> read, string path)
    {
        try
        {
            return read();
        }
        catch (RecordFormatException e)
        {
            throw new UserError(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot read ({OutputFiles.Reason(e)})");
        }
    }

    /// <summary>
    /// Runs a report, mapping report-level refusals (missing intervals, bad ranges) to user errors;
    /// one about the record's content names <paramref name="input"/>.
    /// </summary>
    public static T Report<T>(Func<T> render, string? input = null)
    {
        try
        {
            return render();
        }
        catch (ReportException e)
        {
            throw new UserError(e.AboutRecord && input is not null ? $"{input}: {e.Message}" : e.Message);
        }
    }

    /// <param name="keepOld">keep an existing file as FILE.old, as damo record does</param>
    public static void Write(IReadOnlyList<DamonRecord> records, string path, RecordFileFormat format, UnixFileMode? mode, bool keepOld = false) =>
        Saving(() => RecordFiles.Write(records, path, format, mode, keepOld ? path + ".old" : null), path);

    /// <summary>Runs a write of record file <paramref name="path"/>, its I/O failures becoming one-line user errors.</summary>
    public static void Saving(Action write, string path)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputFiles.CannotWrite(path, e);
        }
    }

    /// <summary>Parses damo's octal --output_permission (e.g. "600").</summary>
    public static UnixFileMode ParsePermission(string text)
    {
        int mode;
        try
        {
            mode = Convert.ToInt32(text, 8);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new UserError($"wrong --output_permission ({text}): not an octal number", ExitCodes.UsageError);
        }
        if (mode is < 0 or > 0x1ff)
            throw new UserError($"wrong --output_permission ({text}): out of the 000-777 range", ExitCodes.UsageError);
        return (UnixFileMode)mode;
    }

    public static RecordFileFormat ParseFormat(string name, string option)
    {
        if (RecordFileFormatNames.TryParse(name, out var format)) return format;
        throw new UserError($"wrong {option} ({name}): one of json_compressed, json, perf_script", ExitCodes.UsageError);
    }
}
