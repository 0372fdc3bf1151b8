using System.Text;
using Damon.Sim.Machine;
using Xunit;

namespace Damon.Sim.Tests;

/// <summary>Machine files that used to escape as InvalidOperationException (exit 1) now name file and line.</summary>
public class MachineFileMalformedTests
{
    private const string EscapeRule = "a \\u escape that is not valid UTF-16 (a lone surrogate such as \\ud800)";

    [Theory]
    [InlineData("{\"\\ud800\": 1}", "m.json:1: (syntax): a string with " + EscapeRule)]
    [InlineData("{\n  \"name\": \"x\",\n  \"nodes\": [{\"tier\": \"\\udc00\"}]\n}", "m.json:3: (syntax): a string with " + EscapeRule)]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "m.json:1: (syntax): The maximum configured depth of 64 has been exceeded. Cannot read next JSON array")]
    public void Bad_text_is_reported_with_its_line(string json, string expected)
    {
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(json, "m.json"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_byte()
    {
        var bytes = Encoding.Latin1.GetBytes("{\n \"name\": \"s\xffmall\"\n}");
        var e = Assert.Throws<MachineFileException>(() => MachineFile.Parse(bytes, "m.json"));
        Assert.Equal("m.json:2: (syntax): not UTF-8 text (byte 13 is 0xff)", e.Message);
    }

    private const string Small = """
        {
          "name": "small",
          "nodes": [
            { "id": 0, "capacity": "8GiB", "read_latency_ns": 90, "write_latency_ns": 95, "bandwidth_gbps": 60, "tier": 0 },
            { "id": 1, "capacity": 17179869184, "read_latency_ns": 220, "bandwidth_gbps": 25, "tier": 1 }
          ],
          "sockets": [ { "node": 0, "cpus": 4 } ],
          "distances": [[10, 20], [20, 10]],
          "migration": { "fixed_ns_per_folio": 1000 }
        }
        """;

    private const string Noise = "{}[]:,\"-0129eE.\\u%GiB \n";

    [Fact]
    public void Mutated_files_fail_only_with_machine_file_errors()
    {
        var random = new Random(20261202);
        int parsed = 0;
        for (int i = 0; i < 2000; i++)
        {
            var sb = new StringBuilder(Small);
            for (int edit = random.Next(1, 4); edit > 0 && sb.Length > 0; edit--)
            {
                int at = random.Next(sb.Length);
                switch (random.Next(4))
                {
                    case 0: sb.Length = at; break;
                    case 1: sb.Remove(at, 1); break;
                    case 2: sb.Insert(at, sb[random.Next(sb.Length)]); break;
                    default: sb[at] = Noise[random.Next(Noise.Length)]; break;
                }
            }
            try
            {
                MachineFile.Parse(sb.ToString(), "m.json");
                parsed++;
            }
            catch (MachineFileException e)
            {
                Assert.StartsWith("m.json:", e.Message);
                Assert.False(e.Message.Contains('\n'), e.Message);
            }
        }
        Assert.InRange(parsed, 1, 1999);
    }
}
