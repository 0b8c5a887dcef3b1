using Amrs.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Modes, one per measurement or load helper. Each prints plain lines that a person or a test can read.
return args.FirstOrDefault() switch
{
    AuditAppendMode.Name => await AuditAppendMode.RunAsync(BenchmarkArguments.Parse(args[1..])),
    AuditVerifyMode.Name => await AuditVerifyMode.RunAsync(BenchmarkArguments.Parse(args[1..])),
    // In process: the benchmarks need the shipped models and the patched TorchSharp native library beside this program.
    "bdn" => BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly)
        .Run(args[1..], DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))).Any() ? 0 : 1,
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: Amrs.Benchmarks MODE [options]
          audit-append --database FILE --count N [--actor ID] [--wait]
              Appends N entries one by one through AuditLog to an existing (migrated) SQLite database. Prints
              "ready" once connected; with --wait it then waits for a line on standard input before appending,
              so several processes can be started together. Prints "appended N" at the end.
          audit-verify --entries N [--database FILE]
              Seals N entries in memory and verifies them; with --database it also writes them to a new SQLite
              file (migrated) and verifies the whole chain from it, then times some filtered page queries.
          bdn [BenchmarkDotNet options, e.g. --filter '*EngineBenchmarks*' --job short]
              The engine's serving calls and a training step under BenchmarkDotNet, in process (AMRS_TORCH_THREADS
              sets torch's thread count, default 1). `amrs bench --json FILE` measures the same and more in one go.
        """);
    return 64;
}
