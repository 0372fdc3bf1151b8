using FsCheck;
using Microsoft.FSharp.Core;

namespace Damon.Tests;

/// <summary>
/// FsCheck configured with a fixed replay seed: unseeded, FsCheck draws a new seed per run, so CI
/// would test different cases each time and a failure seen once might never come back.
/// </summary>
internal static class SeededProperty
{
    public static FsCheck.Config Config(ulong seed, int maxTest = 100) =>
        FsCheck.Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
}
