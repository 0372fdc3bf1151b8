using System.Globalization;

namespace Damon.Config.Numbers;

/// <summary>
/// A sample filter's thread-id array as the hack tree's <c>tid_arr</c> file takes it: ids
/// separated by commas (<c>1234,1235</c>). The kernel's parse_int_array (get_options) would also
/// expand <c>a-b</c> ranges; thread ids are listed one by one, so Damon refuses a range rather
/// than make a list of every number in it (docs/cli.md, "Access sampling").
/// </summary>
public static class TidList
{
    public static bool TryParse(string text, out List<int> tids, out string why)
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
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int tid) || tid == 0)
            {
                why = $"'{part}' is not a thread id (a whole number above 0; ids are separated by commas)";
                return false;
            }
            tids.Add(tid);
        }
        return true;
    }
}
