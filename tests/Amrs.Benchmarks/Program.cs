using Amrs.Benchmarks;

// Modes, one per measurement or load helper. Each prints plain lines that a person or a test can read.
return args.FirstOrDefault() switch
{
    AuditAppendMode.Name => await AuditAppendMode.RunAsync(BenchmarkArguments.Parse(args[1..])),
    AuditVerifyMode.Name => await AuditVerifyMode.RunAsync(BenchmarkArguments.Parse(args[1..])),
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
        """);
    return 64;
}
