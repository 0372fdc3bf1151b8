using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "cpu-probe")
    return Damon.Bench.Sim.SimCpuProbe.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Damon.Bench.Core.StripedOperations).Assembly).Run(args);
return 0;
