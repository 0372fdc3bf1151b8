using Damon.Core.Sampling;
using Damon.Linux.Procfs;
using Damon.Records.IO;

namespace Damon.Linux.Reports;

/// <summary>What an import read: the reports, and the samples it left out and why.</summary>
public sealed record PerfScriptImportResult(IReadOnlyList<DamonAccessReport> Reports, long NrNotLoadOrStore, long NrOtherPid);

/// <summary>
/// PMU samples recorded elsewhere (<c>perf mem record</c>, Intel PEBS mem-loads/mem-stores or AMD IBS
/// ibs_op//), printed with <c>perf script -F comm,pid,tid,cpu,time,event,addr,data_src[,phys_addr]</c>,
/// as access reports: vaddr = the sample's data address, paddr = phys_addr when printed, size 1 (a
/// sample names one access, as damon_report_page_fault's size 1 does), cpu, tid, pid, is_write from
/// data_src's mem_op. <see cref="DamonAccessReport.ReportTimeNs"/> is perf's sample time: to replay,
/// shift it onto the context's clock and put the reports in its buffer
/// (<see cref="DamonAccessReportBuffer.Report"/>) as that clock passes them. The file is read
/// through <see cref="PerfScriptReader.ReadSamples"/>, line by line.
/// </summary>
public static class PerfScriptImport
{
    /// <param name="pid">Keep only this process's samples (0: all).</param>
    /// <exception cref="LinuxSourceException">One line, <c>FILE:LINE: reason</c>, for a line that does not parse or an unreadable file.</exception>
    public static PerfScriptImportResult Read(string path, int pid = 0, bool physAddrLast = false)
    {
        StreamReader reader;
        try { reader = new StreamReader(path); }
        catch (FileNotFoundException) { throw new LinuxSourceException(path, "no such file"); }
        catch (DirectoryNotFoundException) { throw new LinuxSourceException(path, "no such file (its directory is missing)"); }
        catch (UnauthorizedAccessException) { throw new LinuxSourceException(path, "permission denied"); }
        using (reader)
            return Read(reader, path, pid, physAddrLast);
    }

    public static PerfScriptImportResult Read(TextReader reader, string path, int pid = 0, bool physAddrLast = false)
    {
        var reports = new List<DamonAccessReport>();
        long notLoadOrStore = 0, otherPid = 0;
        try
        {
            foreach (var s in PerfScriptReader.ReadSamples(reader, path, physAddrLast))
            {
                if (pid != 0 && s.Pid != pid) { otherPid++; continue; }
                if (s.IsWrite is not bool isWrite) { notLoadOrStore++; continue; }
                reports.Add(new DamonAccessReport(s.PhysAddr ?? 0, s.Addr, 1, s.Cpu, s.Tid, isWrite, s.Pid) { ReportTimeNs = s.TimeNs });
            }
        }
        catch (PerfScriptSampleException e)
        {
            throw new LinuxSourceException($"{e.FilePath}:{e.Line}", e.Reason);
        }
        catch (IOException e)
        {
            throw new LinuxSourceException(path, "cannot be read: " + e.Message);
        }
        return new PerfScriptImportResult(reports, notLoadOrStore, otherPid);
    }
}
