using System.Text;
using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.Reclaim;
using Xunit;

namespace Damon.Modules.Tests.Config;

/// <summary>Hostile parameter files fail with one ModuleParamException naming the file and where, never a crash.</summary>
public class ModuleParamsMalformedTests
{
    public static TheoryData<string, string> TooDeepYaml() => new()
    {
        // Each of these overflowed YamlDotNet's recursion (killing the process) before the check.
        { new string('[', 100_000), "p.yaml: (document): is nested more than 512 levels deep at line 1" },
        { string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n", "p.yaml: (document): is nested more than 512 levels deep at line 1" },
        { "min_age: " + string.Concat(Enumerable.Repeat("{a: ", 50_000)) + "x\n", "p.yaml: (document): is nested more than 512 levels deep at line 1" },
    };

    [Theory]
    [MemberData(nameof(TooDeepYaml))]
    public void Deep_yaml_is_refused_before_parsing(string text, string expected)
    {
        var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.ParseYaml<ReclaimParams>(text, "p.yaml"));
        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("{\"\\ud800\": 1}", "p.json: (document): is not valid JSON: line 1, column 2: a \\u escape that is not valid UTF-16 (a lone surrogate such as \\ud800)")]
    [InlineData("{\"min_age\":\n  \"1\\udc00\"}", "p.json: (document): is not valid JSON: line 2, column 3: a \\u escape that is not valid UTF-16 (a lone surrogate such as \\ud800)")]
    public void Lone_surrogate_escapes_name_their_position(string text, string expected)
    {
        var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.ParseJson<ReclaimParams>(text, "p.json"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Deep_json_is_refused_with_the_depth()
    {
        var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.ParseJson<ReclaimParams>(new string('[', 100_000), "p.json"));
        Assert.Equal("p.json: (document): is not valid JSON: line 1, column 65: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array", e.Message);
    }

    [Theory]
    [InlineData("p.json", "{\"min_age\": \"1\xff\"}", 1, 15)]
    [InlineData("p.yaml", "enabled: Y\nmin_age: 1\xff\n", 2, 11)]
    public void Invalid_utf8_names_the_byte(string name, string latin1, int line, int column)
    {
        var dir = Directory.CreateTempSubdirectory("damon-modparams-");
        try
        {
            var path = Path.Combine(dir.FullName, name);
            File.WriteAllBytes(path, Encoding.Latin1.GetBytes(latin1));
            int at = latin1.IndexOf('\xff');
            var e = Assert.Throws<ModuleParamException>(() => ModuleParamsFile.Read<ReclaimParams>(path));
            Assert.Equal($"{path}: (document): is not UTF-8 text: byte {at} (0xff, line {line}, column {column})", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
