using System.CommandLine;

var root = new RootCommand("amrs: data, training, evaluation and benchmarks for AMRS Clinic.");
Amrs.Cli.Commands.PolicyCommands.AddTo(root);
return await root.Parse(args).InvokeAsync();
