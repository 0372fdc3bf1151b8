using Damon.Records.IO;
using Damon.Records.Model;
using Damon.Tests;
using Xunit;

namespace Damon.Records.Tests;

/// <summary>
/// damon record's streaming save: flushes appended to FILE.journal, a cut journal reading as its
/// completed flushes, and the final file byte for byte what the whole-record writer produces.
/// </summary>
public class RecordJournalTests
{
    private static readonly RecordFileFormat[] Formats = [RecordFileFormat.JsonCompressed, RecordFileFormat.Json, RecordFileFormat.PerfScript];

    /// <summary>Two kdamonds, three contexts, two targets each; a target of context 2 appears only from snapshot 3 on.</summary>
    private static List<DamonRecord> Recording(int nrSnapshots)
    {
        var records = new List<DamonRecord>();
        var goal = new DamonIntervalsGoal(400, 3, 5_000, 10_000_000);
        foreach (var (kdamond, context) in new[] { (0, 0), (0, 1), (1, 0) })
            for (int target = 0; target < 2; target++)
                records.Add(new DamonRecord
                {
                    KdamondIdx = kdamond,
                    ContextIdx = context,
                    // Unique ids: perf_script keeps only the target id, so records sharing one would merge.
                    TargetId = (ulong)(kdamond * 100 + context * 10 + target),
                    Intervals = new DamonIntervals(5_000 * (context + 1), 100_000, 1_000_000, kdamond == 1 ? goal : DamonIntervalsGoal.Disabled),
                });
        var rng = new Random(11);
        for (int s = 0; s < nrSnapshots; s++)
            for (int i = 0; i < records.Count; i++)
            {
                if (i == 5 && s < 3) continue;
                var snapshot = new DamonSnapshot(s * 100_000_000L, (s + 1) * 100_000_000L, []);
                long addr = 4096L * (i + 1) << 20;
                int nrRegions = rng.Next(1, 6);
                for (int r = 0; r < nrRegions; r++)
                {
                    long sz = 4096L * rng.Next(1, 512);
                    snapshot.Regions.Add(new DamonRegion(addr, addr + sz, rng.Next(0, 21), rng.Next(0, 50)));
                    addr += sz;
                }
                if (records[i].KdamondIdx == 1) snapshot.SampleIntervalUs = 5_000 + s;
                records[i].Snapshots.Add(snapshot);
            }
        return records;
    }

    /// <summary>
    /// Replays <paramref name="full"/> as a recorder does: records appear when their first
    /// snapshot does, and every <paramref name="snapshotsPerFlush"/> snapshot times the new ones
    /// are flushed. Returns the recorder's list (its snapshot lists are empty after each flush).
    /// </summary>
    private static List<DamonRecord> Replay(IReadOnlyList<DamonRecord> full, int snapshotsPerFlush, Action<List<DamonRecord>> flush)
    {
        var live = new List<DamonRecord>();
        var byFull = new Dictionary<DamonRecord, DamonRecord>();
        var ends = full.SelectMany(r => r.Snapshots.Select(s => s.EndTimeNs)).Distinct().Order().ToList();
        for (int t = 0; t < ends.Count; t++)
        {
            foreach (var record in full)
                foreach (var snapshot in record.Snapshots.Where(s => s.EndTimeNs == ends[t]))
                {
                    if (!byFull.TryGetValue(record, out var copy))
                    {
                        copy = record.Clone();
                        copy.Snapshots = [];
                        byFull[record] = copy;
                        live.Add(copy);
                    }
                    copy.Snapshots.Add(snapshot.Clone());
                }
            if ((t + 1) % snapshotsPerFlush == 0) flush(live);
        }
        return live;
    }

    private static string Stream(TempDir dir, IReadOnlyList<DamonRecord> full, RecordFileFormat format, int snapshotsPerFlush)
    {
        string path = dir.File($"streamed.{format}");
        using var file = new StreamingRecordFile(path, format);
        var live = Replay(full, snapshotsPerFlush, records =>
        {
            file.Flush(records);
            // Flushed snapshots are dropped: the recorder keeps none of them.
            Assert.Equal(0, records.Sum(r => r.Snapshots.Count));
        });
        file.Complete(live);
        Assert.False(File.Exists(file.JournalPath));
        return path;
    }

    [Theory]
    [InlineData(RecordFileFormat.JsonCompressed, 1)]
    [InlineData(RecordFileFormat.Json, 3)]
    [InlineData(RecordFileFormat.PerfScript, 4)]
    [InlineData(RecordFileFormat.Json, 100)]
    public void StreamedFileEqualsTheWholeRecordWriter(RecordFileFormat format, int snapshotsPerFlush)
    {
        using var dir = new TempDir();
        var full = Recording(10);
        string whole = dir.File("whole");
        RecordFiles.Write(full, whole, format);

        string streamed = Stream(dir, full, format, snapshotsPerFlush);

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(streamed));
        var back = RecordFiles.Read(streamed);
        Assert.Equal(6, back.Count);
        Assert.Equal([10, 10, 10, 10, 10, 7], back.Select(r => r.Snapshots.Count));
        Assert.Equal(full[5].Snapshots[0].Regions.Select(r => r.Start), back[5].Snapshots[0].Regions.Select(r => r.Start));
    }

    [Fact]
    public void OneSnapshotPerfScriptRecordGetsTheFakeSecondSnapshotAtTheEnd()
    {
        using var dir = new TempDir();
        var full = Recording(1).Take(5).ToList();
        string whole = dir.File("whole");
        RecordFiles.Write(full, whole, RecordFileFormat.PerfScript);
        string streamed = Stream(dir, full, RecordFileFormat.PerfScript, 1);
        Assert.Equal(File.ReadAllText(whole), File.ReadAllText(streamed));
        Assert.Equal(5, File.ReadAllLines(streamed).Count(l => l.EndsWith(" 0-0: -1 -1", StringComparison.Ordinal)));
        Assert.All(RecordFiles.Read(streamed), r => Assert.Single(r.Snapshots));
    }

    [Fact]
    public void StreamedDamoRecordingsEqualTheWholeRecordWriter()
    {
        using var dir = new TempDir();
        int nrCompared = 0;
        foreach (var name in new[] { "damon.data", "damon.data.json_compressed", "perf.data.script", "damon.data.snapshot.anon" })
        {
            var full = RecordFiles.Read(DamoReportData.Input(name));
            foreach (var format in Formats)
            {
                if (format == RecordFileFormat.PerfScript && full.Any(r => r.Intervals is null && r.Snapshots.Any(s => s.Regions.Any(g => g.NrAccessesSamples is null))))
                    continue;
                string whole = dir.File($"whole.{name}.{format}");
                RecordFiles.Write(full, whole, format);
                string streamed = Stream(dir, full, format, 2);
                Assert.True(File.ReadAllBytes(whole).AsSpan().SequenceEqual(File.ReadAllBytes(streamed)), $"{name} as {format}");
                nrCompared++;
            }
        }
        Assert.Equal(12, nrCompared);
    }

    /// <summary>The journal of several flushes, and the byte where its last flush begins.</summary>
    private static (byte[] Journal, long LastFlushStart, List<DamonRecord> UpToLast, List<DamonRecord> All) JournalOfFlushes(TempDir dir)
    {
        var full = Recording(5);
        string path = dir.File("cut.journal");
        long lastFlushStart = 0;
        var flushed = new List<List<DamonRecord>>();
        using (var writer = RecordJournalWriter.Create(path))
        {
            var live = Replay(full, 1, records =>
            {
                lastFlushStart = new FileInfo(path).Length;
                flushed.Add(records.Select(r => r.Clone()).ToList());
                writer.Append(records);
            });
        }
        // What the reader must give for the journal without its last flush.
        var upToLast = new List<DamonRecord>();
        foreach (var flush in flushed.Take(flushed.Count - 1))
            for (int i = 0; i < flush.Count; i++)
            {
                if (i == upToLast.Count) upToLast.Add(flush[i]);
                else upToLast[i].Snapshots.AddRange(flush[i].Snapshots);
            }
        return (File.ReadAllBytes(path), lastFlushStart, upToLast, full);
    }

    [Fact]
    public void JournalCutAtEveryByteOfItsLastFlushReadsAsTheFlushesBefore()
    {
        using var dir = new TempDir();
        var (journal, lastFlushStart, upToLast, all) = JournalOfFlushes(dir);
        byte[] expected = JsonRecordWriter.Serialize(upToLast);
        Assert.Equal(JsonRecordWriter.Serialize(all), JsonRecordWriter.Serialize(RecordJournal.Read(dir.File("cut.journal"))));
        Assert.True(journal.Length - lastFlushStart > 500, $"the last flush is {journal.Length - lastFlushStart} bytes");
        Assert.Equal(6, upToLast.Count);
        Assert.Equal(4, upToLast[0].Snapshots.Count);
        Assert.Single(upToLast[5].Snapshots);
        string cut = dir.File("cut-copy.journal");
        for (long length = lastFlushStart; length < journal.Length; length++)
        {
            File.WriteAllBytes(cut, journal.AsSpan(0, (int)length).ToArray());
            var back = RecordJournal.Read(cut);
            Assert.True(expected.AsSpan().SequenceEqual(JsonRecordWriter.Serialize(back)), $"cut at byte {length}");
        }
    }

    [Fact]
    public void DamagedByteInTheLastFlushDropsOnlyThatFlush()
    {
        using var dir = new TempDir();
        var (journal, lastFlushStart, upToLast, _) = JournalOfFlushes(dir);
        string damaged = dir.File("damaged.journal");
        var copy = journal.ToArray();
        copy[(lastFlushStart + journal.Length) / 2] ^= 0x20;
        File.WriteAllBytes(damaged, copy);
        Assert.Equal(JsonRecordWriter.Serialize(upToLast), JsonRecordWriter.Serialize(RecordJournal.Read(damaged)));
    }

    [Fact]
    public void RecordPathReadsItsJournalUntilTheFileIsWritten()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        File.WriteAllText(path, "the previous record");
        var full = Recording(3);
        using var file = new StreamingRecordFile(path, RecordFileFormat.JsonCompressed, backupPath: path + ".old");
        Replay(full, 2, file.Flush);

        // Killed here: the old record has moved away, and the path reads as the journal's flushes.
        Assert.False(File.Exists(path));
        Assert.Equal("the previous record", File.ReadAllText(path + ".old"));
        Assert.True(RecordFiles.Exists(path));
        var midRun = RecordFiles.Read(path);
        Assert.Equal(JsonRecordWriter.Serialize(full.Take(5).Select(r => { var c = r.Clone(); c.Snapshots = c.Snapshots.Take(2).ToList(); return c; }).ToList()),
            JsonRecordWriter.Serialize(midRun));
        Assert.Equal(JsonRecordWriter.Serialize(midRun), JsonRecordWriter.Serialize(RecordFiles.Read(file.JournalPath)));
    }

    /// <summary>Values the recorder's own snapshots lack: percent, probe hits, DAMOS stats, strings that need escaping.</summary>
    private static List<DamonRecord> EveryValueKind()
    {
        var record = new DamonRecord { KdamondIdx = 0, ContextIdx = 0, SchemeIdx = 1, TargetId = ulong.MaxValue, DataSource = "a \"quoted\" \u00e9 source" };
        for (int s = 0; s < 4; s++)
        {
            var region = new DamonRegion(4096, 8192 * (s + 1), null, 3) { NrAccessesPercent = 12.5 * s + 0.1, AgeUsec = 1e6, ProbeHits = [1, s, long.MaxValue] };
            var snapshot = new DamonSnapshot(s * 10L, (s + 1) * 10L, [region, new DamonRegion(1L << 40, (1L << 40) + 4096, 7, null, szFilterPassed: null)])
            {
                DamosStats = new DamosStats(1, 2, 3, 4, 5, 6, 7, 8),
            };
            record.Snapshots.Add(snapshot);
        }
        return [record];
    }

    [Theory]
    [InlineData(RecordFileFormat.JsonCompressed)]
    [InlineData(RecordFileFormat.Json)]
    public void FinishCopiesEveryKindOfValueAsTheWholeRecordWriterWritesIt(RecordFileFormat format)
    {
        using var dir = new TempDir();
        var full = EveryValueKind();
        string whole = dir.File("whole");
        RecordFiles.Write(full, whole, format);
        string path = Stream(dir, full, format, snapshotsPerFlush: 3);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(path));
    }

    [Fact]
    public void AnAbandonedFinishKeepsTheWholeJournalAndLeavesNoFile()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        using (var file = new StreamingRecordFile(path, RecordFileFormat.JsonCompressed))
            Replay(Recording(6), 2, file.Flush);
        string journal = RecordJournal.PathFor(path);
        var before = File.ReadAllBytes(journal);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => RecordJournal.Finish(journal, path, RecordFileFormat.JsonCompressed, cancel: cancelled.Token));
        Assert.Equal(before, File.ReadAllBytes(journal));
        // No record file and no temporary one: the journal alone, still read as the record.
        Assert.Equal([journal], Directory.GetFiles(dir.Path));
        Assert.Equal(JsonRecordWriter.Serialize(Recording(6)), JsonRecordWriter.Serialize(RecordFiles.Read(path)));
    }

    [Fact]
    public void TheJournalAppearsWithItsHeaderAndNoTemporaryFileStays()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        using var writer = RecordJournalWriter.Create(RecordJournal.PathFor(path));
        // Written and renamed into place before Create returns: a reader never sees it headerless.
        Assert.Equal(RecordJournal.MagicText, File.ReadAllText(RecordJournal.PathFor(path)));
        Assert.Equal([RecordJournal.PathFor(path)], Directory.GetFiles(dir.Path));
        Assert.Empty(RecordFiles.Read(path));
        writer.Append(Recording(2));
        Assert.Equal(JsonRecordWriter.Serialize(Recording(2)), JsonRecordWriter.Serialize(RecordFiles.Read(path)));
    }

    [Fact]
    public void ConvertCommandNamesTheConvertVerbsOptions()
    {
        Assert.Equal("damon convert_record_format --record_file out/r.json.z.journal --format json --output_file out/r.json.z",
            RecordJournal.ConvertCommand("out/r.json.z.journal", RecordFileFormat.Json));
    }

    [Fact]
    public void AJournalLeftByAKilledRunIsNotOverwritten()
    {
        using var dir = new TempDir();
        string path = dir.File("damon.data");
        File.WriteAllText(RecordJournal.PathFor(path), RecordJournal.MagicText);
        using var file = new StreamingRecordFile(path, RecordFileFormat.Json);
        var e = Assert.Throws<IOException>(() => file.Flush(Recording(1)));
        Assert.Equal($"{path}.journal holds an interrupted recording; convert it with 'damon convert_record_format --record_file {path}.journal --format json --output_file {path}' or remove it", e.Message);
        Assert.Equal(RecordJournal.MagicText, File.ReadAllText(RecordJournal.PathFor(path)));
    }

    [Fact]
    public void AnEmptyJournalIsAnEmptyRecordAndOtherFilesAreNotJournals()
    {
        using var dir = new TempDir();
        string path = dir.File("x.journal");
        File.WriteAllText(path, RecordJournal.MagicText);
        Assert.Empty(RecordJournal.Read(path));
        File.WriteAllText(path, "DAMON-RECORD-JOURNAL 2\n");
        var e = Assert.Throws<RecordFormatException>(() => RecordJournal.Read(path));
        Assert.Equal($"{path}: at byte 0: expected a record journal starting with \"DAMON-RECORD-JOURNAL 1\"", e.Message);
    }
}
