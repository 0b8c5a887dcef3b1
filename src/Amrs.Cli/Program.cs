using System.CommandLine;

var root = new RootCommand("amrs: data, training, evaluation and benchmarks for AMRS Clinic.");
return await root.Parse(args).InvokeAsync();
