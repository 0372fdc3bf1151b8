using System.Globalization;

namespace Damon.Config.Numbers;

/// <summary>
/// The id lists DAMON's sample filters take, checked before they reach a kernel or the engine:
/// a cpumask as the kernel's cpulist_parse reads it (<c>0-3,8</c>, <c>0-15:2/4</c>), and a
/// thread-id array as the hack tree's <c>tid_arr</c> file takes it (<c>12,34</c>). The text itself
/// is kept as given (damo passes it through verbatim); these only say whether it is valid and which
/// ids it names.
/// </summary>
public static class KernelIdList
{
    /// <summary>CONFIG_NR_CPUS's largest value: a CPU id at or beyond it names no CPU any kernel has.</summary>
    public const int MaxNrCpus = 8192;

    /// <summary>
    /// bitmap_parselist's grammar: comma-separated <c>a</c>, <c>a-b</c> or <c>a-b:used/group</c>
    /// (every group of <c>group</c> CPUs from <c>a</c>, its first <c>used</c> ones) with
    /// <c>a &lt;= b</c> and <c>0 &lt; used &lt;= group</c>. An empty list is an empty mask.
    /// </summary>
    public static bool TryParseCpuList(string text, out SortedSet<int> cpus, out string why)
    {
        cpus = [];
        why = "";
        if (text.Trim().Length == 0)
            return true;
        foreach (var part in text.Trim().Split(','))
        {
            var (range, stride) = part.IndexOf(':') is var colon and >= 0 ? (part[..colon], part[(colon + 1)..]) : (part, null);
            int dash = range.IndexOf('-');
            if (!TryId(dash < 0 ? range : range[..dash], MaxNrCpus, out int lo)
                || !TryId(dash < 0 ? range : range[(dash + 1)..], MaxNrCpus, out int hi))
            {
                why = $"'{part}' is not a CPU id or range (ids 0 to {MaxNrCpus - 1}, e.g. 0-3,8)";
                return false;
            }
            if (lo > hi)
            {
                why = $"'{part}': the range starts after its end";
                return false;
            }
            int used = 1, group = 1;
            if (stride is not null)
            {
                int slash = stride.IndexOf('/');
                if (dash < 0 || slash < 0 || !TryId(stride[..slash], MaxNrCpus, out used) || !TryId(stride[(slash + 1)..], MaxNrCpus, out group)
                    || used == 0 || used > group)
                {
                    why = $"'{part}': a stride is a-b:used/group with 0 < used <= group";
                    return false;
                }
            }
            for (int start = lo; start <= hi; start += group)
                for (int c = start; c < start + used && c <= hi; c++)
                    cpus.Add(c);
        }
        return true;
    }

    /// <summary>Comma-separated thread ids, each above 0 (pid_t values a thread can have).</summary>
    public static bool TryParseTids(string text, out List<int> tids, out string why)
    {
        tids = [];
        why = "";
        if (text.Trim().Length == 0)
        {
            why = "no thread id given (e.g. 1234,1235)";
            return false;
        }
        foreach (var part in text.Trim().Split(','))
        {
            if (!TryId(part, int.MaxValue, out int tid) || tid == 0)
            {
                why = $"'{part}' is not a thread id (a whole number above 0; ids are separated by commas)";
                return false;
            }
            tids.Add(tid);
        }
        return true;
    }

    private static bool TryId(string text, int limit, out int id) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id < limit;
}
