using System.Globalization;
using Damon.Modules.Config;
using Damon.Modules.Tier;
using Damon.Sim.Machine;
using Damon.Sim.Memory;
using Damon.Sim.Running;
using Damon.Testbed.SimTierprobe;
using Damon.Tiering.Harness;
using Damon.Tiering.Policy;

// sim-tierprobe: tierprobe.c's measurement on the simulated machine. Prints the lines tierprobe.sh prints in the guest
// (scenario / policy_start / tierprobe / t=... / scenario_end), so tools/testbed/scenarios/tierprobe-summary.awk reads
// both. Time is simulated time. Usage (all optional):
//   sim-tierprobe --machine FILE --policy none|numab2|damon_tier|damon-tier-mtier --tier_params FILE --seed N
//                 -t TOTAL_MIB -h HOT_MIB -o HOT_OFFSET_MIB -n NODE -d SECONDS -c COLD_PERIOD_S -i INTERVAL_S [-r]
// Policies: none = no migration (the harness's first-touch); numab2 = the harness's NUMA-balancing tiering model;
// damon_tier = the TIER module as `damon sim --module damon_tier --module_params FILE` runs it (one paddr context over
// the biggest System RAM range unless the file sets monitor_region_start/end); damon-tier-mtier = the harness's
// damon-tier (the same parameters, schemes laid out per node as the mtier sample does, reclaim demotion off).
var inv = CultureInfo.InvariantCulture;
string machinePath = "configs/testbed-guest.machine.json", policyName = "damon_tier", tierPath = "configs/damon-tier.yaml";
ulong seed = 42;
long totalMiB = 64, hotMiB = 8, hotOffMiB = 0;
int node = 1;
double durationS = 30, coldPeriodS = 0, intervalS = 0.25;
bool clearRefs = false;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--machine": machinePath = Next(); break;
            case "--policy": policyName = Next(); break;
            case "--tier_params": tierPath = Next(); break;
            case "--seed": seed = ulong.Parse(Next(), inv); break;
            case "-t": totalMiB = long.Parse(Next(), inv); break;
            case "-h": hotMiB = long.Parse(Next(), inv); break;
            case "-o": hotOffMiB = long.Parse(Next(), inv); break;
            case "-n": node = int.Parse(Next(), inv); break;
            case "-d": durationS = double.Parse(Next(), inv); break;
            case "-c": coldPeriodS = double.Parse(Next(), inv); break;
            case "-i": intervalS = double.Parse(Next(), inv); break;
            case "-r": clearRefs = true; break;
            default: throw new ArgumentException($"unknown option '{args[i]}'");
        }
    }
    if (totalMiB <= 0 || hotMiB <= 0 || hotOffMiB < 0 || hotOffMiB + hotMiB > totalMiB)
        throw new ArgumentException("need 0 < HOT_MIB, 0 <= HOT_OFFSET_MIB, HOT_OFFSET_MIB + HOT_MIB <= TOTAL_MIB");
    if (durationS <= 0 || intervalS <= 0 || coldPeriodS < 0)
        throw new ArgumentException("need SECONDS > 0, INTERVAL_S > 0, COLD_PERIOD_S >= 0");
    if (policyName is not ("none" or "numab2" or "damon_tier" or "damon-tier-mtier"))
        throw new ArgumentException($"unknown policy '{policyName}' (none, numab2, damon_tier, damon-tier-mtier)");
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"sim-tierprobe: {e.Message}");
    return 2;
}

MachineSpec spec;
TierParams tier;
try
{
    spec = MachineFile.Load(machinePath);
    tier = ModuleParamsFile.Read(tierPath, TierParams.Default);
}
catch (Exception e) when (e is MachineFileException or Damon.Modules.Common.ModuleParamException or IOException)
{
    Console.Error.WriteLine($"sim-tierprobe: {e.Message}");
    return 3;
}

ITieringPolicy? policy = policyName switch
{
    "none" => PolicyCatalog.Create("first-touch"),
    "numab2" => PolicyCatalog.Create("numab2"),
    "damon-tier-mtier" => PolicyCatalog.Create("damon-tier", tierParams: tier),
    _ => null,
};
const ulong MiB = 1UL << 20;
var probe = new TierprobeWorkload((ulong)totalMiB * MiB, (ulong)hotOffMiB * MiB, (ulong)hotMiB * MiB, node,
    (ulong)(coldPeriodS * 1e9), cpuNsPerAccess: 1, clearRefs);
var sim = new Simulation(policy?.Configure(spec) ?? spec, probe, seed);
var m = sim.Machine;
TierModule? module = null;
if (policy is not null)
    policy.Attach(sim, TierNodes.Of(m));
else
{
    module = new TierModule(tier, SimMemoryLayout.Of(m), m, m.Seed);
    sim.AddStarted(module.Start(sim.Engine));
}

// The placement's own moves (node 0 -> 1 before t=0) are not the policy's.
ulong promotedBefore = m.MigratedPages(1, 0), demotedBefore = m.MigratedPages(0, 1);
ulong page = PageSizes.PageSize, nHot = (ulong)hotMiB * MiB / page, nTotal = (ulong)totalMiB * MiB / page;
Console.WriteLine($"scenario policy={policyName} kernel=simulator machine={Path.GetFileName(machinePath)} tier_params={Path.GetFileName(tierPath)} seed={seed} " +
    $"probe_args=-t,{totalMiB},-h,{hotMiB},-o,{hotOffMiB},-n,{node},-d,{durationS.ToString(inv)},-c,{coldPeriodS.ToString(inv)},-i,{intervalS.ToString(inv)}{(clearRefs ? ",-r" : "")}");
Console.WriteLine("policy_start uptime=0.000");
Console.WriteLine($"tierprobe pid={probe.Pid} page_size={page} total_pages={nTotal} base=0x{probe.Base:x} end=0x{probe.End:x} " +
    $"hot=0x{probe.HotStart:x}-0x{probe.HotEnd:x} hot_pages={nHot} cold_pages={nTotal - nHot} node={node} placed={probe.NrPlaced} " +
    $"cold_period_s={coldPeriodS.ToString(inv)} interval_s={intervalS.ToString(inv)} duration_s={durationS.ToString(inv)} cleared_refs={(clearRefs ? 1 : 0)} t0_uptime=0.000");

ulong durUs = (ulong)(durationS * 1e6), stepUs = (ulong)(intervalS * 1e6), tick = policy?.TickIntervalUs ?? 0;
ulong now = 0, nextTick = 0, nextReport = stepUs;
var probeThread = m.Threads.Last();
while (now < durUs)
{
    if (policy is not null && tick > 0 && now >= nextTick)
    {
        policy.Tick(now);
        nextTick = now + tick;
    }
    ulong next = Math.Min(nextReport, durUs);
    if (tick > 0) next = Math.Min(next, nextTick);
    sim.RunUntil(next);
    now = next;
    if (now == nextReport || now == durUs)
    {
        ulong hot0 = 0, hot1 = 0, hotOther = 0, cold0 = 0, cold1 = 0, coldOther = 0;
        for (ulong a = probe.Base; a < probe.End; a += page)
        {
            bool hot = a >= probe.HotStart && a < probe.HotEnd;
            switch (m.NodeOfAddr(probe.Pid, a))
            {
                case 0: if (hot) hot0++; else cold0++; break;
                case 1: if (hot) hot1++; else cold1++; break;
                default: if (hot) hotOther++; else coldOther++; break;
            }
        }
        Console.WriteLine($"t={now / 1e6:F3} hot_node0={hot0} hot_total={nHot} cold_node0={cold0} cold_total={nTotal - nHot} hot_node1={hot1} " +
            $"cold_node1={cold1} hot_other={hotOther} cold_other={coldOther} accesses={probeThread.NrAccesses}");
        nextReport += stepUs;
    }
}
sim.Stop();
Console.WriteLine($"tierprobe done t={now / 1e6:F3} accesses={probeThread.NrAccesses}");
string stats = module is null ? "" : " " + string.Join(" ", module.NamedStats.Select(kv => $"{kv.Key}={kv.Value}"));
Console.WriteLine($"counters_after promoted_pages={m.MigratedPages(1, 0) - promotedBefore} demoted_pages={m.MigratedPages(0, 1) - demotedBefore}{stats}");
Console.WriteLine("scenario_end rc=0");
return 0;
