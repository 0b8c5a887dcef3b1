using System.CommandLine;
using Amrs.Cli.WorldModels;
using Amrs.Clinic.Services.Engine;
using Amrs.Simulation.Generation;
using TorchSharp;

namespace Amrs.Cli.Benchmarks;

/// <summary>
/// <c>amrs bench --json FILE</c>: training throughput (real loop against a bare one), candidate scoring, rollouts,
/// policy decoding, batched against one-by-one serving, preview latency through the clinic's services alone and
/// with many clinicians at once (also while a training job runs), and audit throughput. Run it on a quiet machine:
/// the numbers are wall-clock times.
/// </summary>
public static class BenchCommand
{
    public const string Training = "training";
    public const string Engine = "engine";
    public const string Preview = "preview";
    public const string Audit = "audit";
    private static readonly string[] Parts = [Training, Engine, Preview, Audit];

    public static Command Create()
    {
        var json = new Option<FileInfo>("--json") { Description = "Write the measurements (and which targets they meet) to this JSON file.", Required = true, HelpName = "FILE" };
        var only = new Option<string[]>("--only") { Description = "Measure only these parts.", HelpName = string.Join("|", Parts), AllowMultipleArgumentsPerToken = true };
        only.AcceptOnlyFromAmong(Parts);
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads (the clinic's engine thread uses Engine:TorchThreads, else 1).", DefaultValueFactory = _ => 1, HelpName = "N" };
        var runs = new Option<int>("--runs") { Description = "Measured repetitions of each latency.", DefaultValueFactory = _ => 30, HelpName = "N" };
        var clinicians = new Option<int>("--clinicians") { Description = "Clinicians previewing at once (each on their own patient).", DefaultValueFactory = _ => 20, HelpName = "N" };
        var models = new Option<DirectoryInfo?>("--models") { Description = "The model store holding the bundle to measure (default: the shipped models/).", HelpName = "DIR" };
        var noTraining = new Option<bool>("--no-training-load") { Description = "Skip the preview measurements while a training job runs." };

        var command = new Command("bench", "Measure engine throughput, preview latency under load and audit throughput (see README, Performance).")
        {
            json, only, threads, runs, clinicians, models, noTraining,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var selected = parse.GetValue(only) is { Length: > 0 } chosen ? chosen.ToHashSet() : Parts.ToHashSet();
            var threadCount = parse.GetValue(threads);
            var repetitions = parse.GetValue(runs);
            var concurrent = parse.GetValue(clinicians);
            var log = parse.InvocationConfiguration.Output;
            torch.set_num_threads(threadCount);
            log.WriteLine($"amrs bench: {Environment.ProcessorCount} cores, {threadCount} torch thread(s), {repetitions} runs per latency");

            GeneratedWorld? world = null;
            GeneratedWorld World() => world ??= WorldGenerator.Generate(new WorldChoice(WorldChoice.DefaultName, Patients: 300).Config);

            TrainingResult? training = null;
            if (selected.Contains(Training))
            {
                log.WriteLine("training: standard configuration, real loop and bare loop ...");
                training = TrainingThroughput.Run(World(), steps: Math.Max(20, repetitions));
                log.WriteLine($"  real {training.RealStepsPerSecond:F2} steps/s ({training.RealTokensPerSecond:N0} tokens/s), bare {training.BareStepsPerSecond:F2} steps/s ({training.BareTokensPerSecond:N0} tokens/s): {training.RealShareOfBare:P0} of bare; building a batch's tensors {training.DataPreparationMsPerStep:F1} ms, {training.RealShareOfPaddedTokens:P0} of padded tokens real; real batches with tensors built beforehand {training.RealPrebuiltStepsPerSecond:F2} steps/s");
            }

            EngineResult? engine = null;
            if (selected.Contains(Engine))
            {
                log.WriteLine("engine: scoring, rollouts, decoding ...");
                using var work = EngineWorkload.Load(parse.GetValue(models)?.FullName ?? ShippedModels.Folder, patients: 300);
                engine = EngineLatencies.Run(work, repetitions);
                log.WriteLine($"  score {engine.Candidates:N0} candidates, {engine.Members} members:  {engine.Scoring}");
                log.WriteLine($"  rollout {engine.Trajectories} x {engine.RolloutSteps} x {engine.Members} members:   {engine.Rollout}");
                log.WriteLine($"  decode a 12-track proposal:           {engine.PolicyDecoding}");
                log.WriteLine($"  {engine.BatchedRequests} rollouts one by one {engine.RolloutsOneByOne.MedianMs:F0} ms, batched {engine.RolloutsBatched.MedianMs:F0} ms; decoding one by one {engine.DecodingOneByOne.MedianMs:F0} ms, batched {engine.DecodingBatched.MedianMs:F0} ms");
            }

            PreviewResult? preview = null;
            if (selected.Contains(Preview))
            {
                log.WriteLine($"preview: clinic services on a fresh database, 1 and {concurrent} clinicians ...");
                await using var load = await PreviewLoad.StartAsync(Math.Max(concurrent, 10), threadCount, log);
                var (alone, atOnce) = await load.MeasureAsync(concurrent, rounds: 3);
                log.WriteLine($"  alone:     {alone}");
                log.WriteLine($"  {concurrent} at once: {atOnce}");
                Timings? aloneTraining = null, atOnceTraining = null;
                double? trainingRate = null;
                if (!parse.GetValue(noTraining))
                {
                    using var job = new BackgroundTraining(World());
                    (aloneTraining, atOnceTraining) = await load.MeasureAsync(concurrent, rounds: 3);
                    trainingRate = job.StepsPerSecond;
                    log.WriteLine($"  alone while training:     {aloneTraining}");
                    log.WriteLine($"  {concurrent} at once while training: {atOnceTraining}  (training {trainingRate:F2} steps/s meanwhile)");
                }
                preview = new PreviewResult(Math.Max(concurrent, 10), alone, concurrent, atOnce, aloneTraining, atOnceTraining, trainingRate);
            }

            AuditResult? audit = null;
            if (selected.Contains(Audit))
            {
                log.WriteLine("audit: appends and chain verification ...");
                audit = await AuditThroughput.RunAsync(appends: 2_000, inMemory: 1_000_000);
                log.WriteLine($"  {audit.AppendsPerSecond:N0} appends/s (one writer), {audit.ConcurrentAppendsPerSecond:N0} appends/s ({audit.ConcurrentWriters} writers)");
                log.WriteLine($"  verify: {audit.VerifySecondsPerMillionInMemory:F2} s per million in memory, {audit.VerifySecondsPerMillionFromDatabase:F2} s per million from SQLite");
            }

            var report = new BenchReport(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessorCount, threadCount,
                training, engine, preview, audit, BenchTargets.Check(training, engine, preview));
            var file = parse.GetValue(json)!;
            report.WriteTo(file.FullName);
            log.WriteLine($"wrote {file.FullName}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
