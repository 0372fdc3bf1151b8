using Damon.Modules.Common;
using Damon.Modules.Config;
using Damon.Modules.LruSort;
using Damon.Modules.Reclaim;
using Damon.Modules.Samples;
using Damon.Modules.Tier;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit;

namespace Damon.Modules.Tests.Config;

/// <summary>
/// For any parameter values: a file written from valid parameters reads back equal, and one
/// written from invalid parameters is refused with the same parameter named as the module's own
/// validation names.
/// </summary>
public class ModuleParamsFilePropertyTests
{
    private static FsCheck.Config Seeded(ulong seed) => FsCheck.Config.QuickThrowOnFailure
        .WithMaxTest(150)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));

    private static Gen<object> ValueOf(ModuleParamKind kind) => kind switch
    {
        ModuleParamKind.Bool => Gen.Elements(true, false).Select(b => (object)b),
        ModuleParamKind.Int => Gen.Choose(int.MinValue, int.MaxValue).Select(i => (object)(long)i),
        _ => Gen.OneOf(
            Gen.Elements(0UL, 1UL, 2UL, 3UL, 4096UL, 1UL << 32, ulong.MaxValue),
            Gen.Choose(0, int.MaxValue).Select(i => (ulong)i)).Select(u => (object)u),
    };

    /// <summary>Defaults with a random subset of parameters set to random values.</summary>
    private static Gen<T> ParamsGen<T>() where T : class, IModuleParams<T>
        => Gen.CollectToArray(T.Params.Select(spec =>
                from change in Gen.Elements(true, false)
                from v in ValueOf(spec.Kind)
                select (Spec: spec, Change: change, Value: v)))
            .Select(changes =>
            {
                var p = T.Default;
                foreach (var (spec, change, v) in changes)
                {
                    if (!change)
                        continue;
                    try
                    {
                        p = spec.Set(p, v);
                    }
                    catch (OverflowException)
                    {
                        // A 32-bit parameter given a 64-bit value keeps its default.
                    }
                    catch (ModuleParamException)
                    {
                        // So does one whose store rule refuses the value (goal_tuner above 1).
                    }
                }
                return p;
            });

    private static void Check<T>(ulong seed) where T : class, IModuleParams<T>
    {
        FsCheck.Check.One(Seeded(seed), Prop.ForAll(ParamsGen<T>().ToArbitrary(), p =>
        {
            string? invalidField = null;
            try
            {
                p.Validate();
            }
            catch (ModuleParamException e)
            {
                invalidField = e.Field;
            }
            foreach (var parse in new Func<T>[]
                     {
                         () => ModuleParamsFile.ParseJson<T>(ModuleParamsFile.ToJson(p), "p.json"),
                         () => ModuleParamsFile.ParseYaml<T>(ModuleParamsFile.ToYaml(p), "p.yaml"),
                     })
            {
                if (invalidField is null)
                    Assert.Equal(p, parse());
                else
                    Assert.Equal(invalidField, Assert.Throws<ModuleParamException>(parse).Field);
            }
        }));
    }

    [Fact] public void Reclaim() => Check<ReclaimParams>(0x5EC1A1);
    [Fact] public void LruSort() => Check<LruSortParams>(0x1A5);
    [Fact] public void Tier() => Check<TierParams>(0x7153);
    [Fact] public void Mtier() => Check<MtierParams>(0x3713);
    [Fact] public void Prcl() => Check<PrclParams>(0x9C1);
}
