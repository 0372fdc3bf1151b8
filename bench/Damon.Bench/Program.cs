using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Damon.Bench.Core.StripedOperations).Assembly).Run(args);
