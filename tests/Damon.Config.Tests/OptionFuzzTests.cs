using Damon.Config.Args;
using Damon.Config.Engine;
using Damon.Config.Io;
using Damon.Config.Report;
using Xunit;

namespace Damon.Config.Tests;

/// <summary>Random option soups: every outcome is a spec or a <see cref="ConfigException"/>.</summary>
public class OptionFuzzTests
{
    private static readonly string[] Words =
    [
        "1", "0", "3", "max", "min", "5ms", "1s", "1G", "50%", "0.5%", "-1", "abc", "allow", "reject", "none", "non", "anon",
        "memcg", "/a", "addr", "target", "young", "hugepage_size", "migrate_hot", "migrate_cold", "stat", "pageout",
        "node_mem_free_bp", "node_memcg_used_bp", "user_input", "some_mem_psi_us", "free_mem_rate", "temporal", "paddr",
        "vaddr", "fvaddr", "1-2", "4K-8K", "0-1G", "{", "[]", "matching", "nomatching", "12 XB", "1 m 11.5 s",
    ];

    [Fact]
    public void RandomOptionSoupsFailCleanly()
    {
        var options = DamoOptionTable.Options.Where(o => o.Name is not ("kdamonds" or "schemes")).ToArray();
        var r = new Random(20261122);
        int built = 0;
        for (int i = 0; i < 3000; i++)
        {
            var tokens = new List<string>();
            int n = r.Next(1, 6);
            for (int j = 0; j < n; j++)
            {
                var o = options[r.Next(options.Length)];
                tokens.Add("--" + o.Name);
                int values = o.Arity switch
                {
                    OptionArity.Flag => 0,
                    OptionArity.Exactly => o.Count,
                    OptionArity.OneOrMore or OptionArity.OneOrMoreLast => r.Next(1, 5),
                    _ => 1,
                };
                // Now and then one word too many or too few.
                values = Math.Max(0, values + (r.Next(8) == 0 ? r.Next(-1, 2) : 0));
                for (int k = 0; k < values; k++) tokens.Add(Words[r.Next(Words.Length)]);
            }
            if (r.Next(2) == 0) tokens.InsertRange(0, ["--damos_action", "stat"]);
            try
            {
                var spec = KdamondsBuilder.Build(tokens, GoldenMachineLayout.Create());
                KdamondsJson.Write(spec, raw: r.Next(2) == 0);
                KdamondsYaml.Write(spec, raw: false);
                KdamondsReport.Render(spec, raw: r.Next(2) == 0);
                ContextMapping.ToEngine(spec);
                built++;
            }
            catch (ConfigException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
        Assert.InRange(built, 1, 2999);
    }
}
