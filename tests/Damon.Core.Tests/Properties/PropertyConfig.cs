using FsCheck;
using Microsoft.FSharp.Core;

namespace Damon.Core.Tests.Properties;

/// <summary>
/// FsCheck runs with a fixed replay seed, so a property checks the same cases on every run and a
/// failure reproduces; the engine's own randomness is seeded from the generated cases.
/// </summary>
internal static class PropertyConfig
{
    public static Config Seeded(ulong seed, int maxTest = 100) =>
        Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
}
