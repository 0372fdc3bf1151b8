namespace Damon.Records.Model;

/// <summary>Record file formats damo reads and writes itself (perf_data needs perf and is not supported).</summary>
public enum RecordFileFormat
{
    JsonCompressed,
    Json,
    PerfScript,
}

public static class RecordFileFormatNames
{
    public static string ToDamoName(this RecordFileFormat format) => format switch
    {
        RecordFileFormat.JsonCompressed => "json_compressed",
        RecordFileFormat.Json => "json",
        RecordFileFormat.PerfScript => "perf_script",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string name, out RecordFileFormat format)
    {
        switch (name)
        {
            case "json_compressed": format = RecordFileFormat.JsonCompressed; return true;
            case "json": format = RecordFileFormat.Json; return true;
            case "perf_script": format = RecordFileFormat.PerfScript; return true;
            default: format = default; return false;
        }
    }
}
