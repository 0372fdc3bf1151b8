using System.CommandLine;
using System.Text.Json;
using Damon.Cli.Linux;
using Damon.Cli.Simulation;
using Damon.Sim.Machine;

namespace Damon.Cli.Commands;

/// <summary><c>damon topology</c>: the simulated machine in the layout of <c>numactl --hardware</c>.</summary>
public static class TopologyCommand
{
    public static Command Create()
    {
        var run = new SimRunOptions();
        var json = new JsonOption();
        var linux = new LinuxOptions();
        var command = new Command("topology",
            "Show the NUMA nodes, CPUs and distances (numactl --hardware layout) of the simulated machine, or with --backend linux "
            + "of this machine from sysfs, with memory tiers and HMAT latency and bandwidth")
        {
            run.Machine, json.Option, linux.Backend,
        };
        linux.AddRoots(command);
        command.SetAction(parse =>
        {
            json.CheckFile(parse);
            var stdout = parse.InvocationConfiguration.Output;
            if (linux.ExplicitLinux(parse) == true)
            {
                if (parse.GetResult(run.Machine) is not null)
                    throw new UserError("--machine describes a simulated machine; drop it or --backend linux", ExitCodes.UsageError);
                var nodes = LinuxTopology.Read(linux.Read(parse));
                if (!json.Given(parse) || json.File(parse) is not null)
                    stdout.Write(LinuxTopology.Format(nodes));
                if (json.Given(parse))
                    json.Emit(parse, stdout, s => LinuxTopology.WriteJson(s, nodes));
                return ExitCodes.Ok;
            }
            var spec = SimSetup.LoadMachine(parse.GetValue(run.Machine));
            if (!json.Given(parse) || json.File(parse) is not null)
                stdout.Write(Topology.Format(spec));
            if (json.Given(parse))
                json.Emit(parse, stdout, s => Write(s, spec));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(Stream output, MachineSpec spec)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("name", spec.Name);
        w.WriteStartArray("nodes");
        foreach (var n in spec.Nodes)
        {
            w.WriteStartObject();
            w.WriteNumber("id", n.Id);
            w.WriteNumber("tier", n.Tier);
            w.WriteStartArray("cpus");
            foreach (int c in spec.Sockets.Where(s => s.Node == n.Id).SelectMany(s => s.Cpus).Order())
                w.WriteNumberValue(c);
            w.WriteEndArray();
            w.WriteNumber("size_bytes", n.CapacityBytes);
            w.WriteNumber("read_latency_ns", n.ReadLatencyNs);
            w.WriteNumber("write_latency_ns", n.WriteLatencyNs);
            w.WriteNumber("bandwidth_gbps", n.BandwidthGBps);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("distances");
        foreach (var row in spec.Distances)
        {
            w.WriteStartArray();
            foreach (var d in row) w.WriteNumberValue(d);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
