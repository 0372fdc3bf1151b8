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
}
