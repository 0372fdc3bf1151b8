using System.CommandLine;
using Damon.Cli;
using Damon.Cli.Commands;

var root = new RootCommand("Damon: DAMON data access monitoring, DAMOS schemes and memory tiering, in user space.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return await CliRunner.RunAsync(root, args);
