using System.Diagnostics;
using Amrs.Cli.WorldModels;
using Amrs.Engine.Episodes;
using Amrs.Engine.Evaluation;
using Amrs.Engine.Store;
using Amrs.Engine.WorldModels;
using Amrs.Simulation.Generation;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>
/// Scores a world model against the simulator's truth on cold-start test patients: one-step-ahead predictions
/// of every observed signal beside the oracle, the population oracle and three baselines, by history length,
/// the 80% band coverage, and the out-of-distribution flag rates. Runs on the calling thread.
/// </summary>
public static class FidelityEvaluation
{
    /// <param name="realSongs">Real songs to build previews from for a further flag rate (<see cref="RealSongs"/>); null: none.</param>
    /// <param name="predictionsOut">Where to write every prediction behind the report as CSV (<see cref="PredictionExport"/>); null: nowhere.</param>
    public static FidelityReport Run(WorldModelEnsemble model, ModelCard card, WorldChoice choice, GeneratedWorld world,
        GeneratedWorld otherWorld, string commandLine, IReadOnlyList<Amrs.Core.Catalog.Track>? realSongs = null, TextWriter? predictionsOut = null)
    {
        var clock = Stopwatch.StartNew();
        var data = TrainingData.FromWorld(world, choice);
        var splitSeed = card.SplitSeed ?? WorldModelTraining.DefaultSplitSeed;
        var split = data.Split(splitSeed);
        var heldOut = card.SimulatorConfigHash == world.Config.ConfigHash && card.TrainingDataFingerprint == data.Fingerprint();

        var testPatients = data.PatientsIn(split.Test);
        var trainIds = split.Train.ToHashSet(StringComparer.Ordinal);
        var trainingSessions = data.Sessions.Where(s => trainIds.Contains(s.PatientId)).ToArray();
        var catalog = world.Catalog.ToDictionary(t => t.TrackId, StringComparer.Ordinal);
        var steps = HeldOutSteps.Of(testPatients, data.Sessions, catalog);
        var observations = HeldOutSteps.Observations(steps);

        var (modelMeans, modelBands) = ModelPredictions(model, data, testPatients, steps, observations);
        var predictions = new Dictionary<string, double[][]>
        {
            [ReferencePredictors.Model] = modelMeans,
            [ReferencePredictors.Oracle] = ReferencePredictors.FromOracle(world, steps),
            [ReferencePredictors.Population] = ReferencePredictors.FromPopulationOracle(world, steps),
            [ReferencePredictors.HistoryInformed] = ReferencePredictors.FromHistoryInformed(world, steps),
            [ReferencePredictors.Posterior] = ReferencePredictors.FromPosterior(world, steps),
            [ReferencePredictors.GlobalMean] = ReferencePredictors.FromGlobalMean(trainingSessions, steps),
            [ReferencePredictors.TrackMean] = ReferencePredictors.FromTrackMean(trainingSessions, steps),
            [ReferencePredictors.PatientMean] = ReferencePredictors.FromPatientMean(trainingSessions, steps),
        };
        if (predictionsOut is not null)
            PredictionExport.Write(predictionsOut, steps, observations, predictions, PredictionExport.HiddenStates(world, steps));
        var table = FidelityScores.Table(observations, predictions,
            new Dictionary<string, Band[]> { [ReferencePredictors.Model] = modelBands });

        var testSessions = data.Sessions.Where(s => split.Test.Contains(s.PatientId)).ToArray();
        var otherData = TrainingData.FromWorld(otherWorld, choice.Other);
        var otherSplit = otherData.Split(splitSeed);
        var otherTestSessions = otherData.Sessions.Where(s => otherSplit.Test.Contains(s.PatientId)).ToArray();
        var foreign = OodRates.ForeignCatalog(otherWorld.Catalog, otherTestSessions, choice.Other.Name);
        var shifted = OodRates.ShiftedCatalog(world.Catalog, testSessions);
        IReadOnlyList<OodRate> ood = model.Ood is null ? [] :
        [
            OodRates.Measure("ordinary", $"test patients of the {choice.Name} world, their own logged playlists",
                model, world.Catalog, testPatients, testSessions),
            OodRates.Measure($"{choice.Other.Name}-world", $"test patients of the {choice.Other.Name} world (its catalog's tracks never seen)",
                model, foreign.Catalog, otherData.PatientsIn(otherSplit.Test), foreign.Sessions),
            OodRates.Measure("shifted-catalog", "the same test patients and playlists on a shifted catalog (unseen ids; era, tempo, loudness, energy changed)",
                model, shifted.Catalog, testPatients, shifted.Sessions),
            .. realSongs is null ? Array.Empty<OodRate>() :
            [
                OodRates.Measure("real-songs", $"the same test patients and sessions played from {realSongs.Count} imported real songs (the nearest in valence and arousal to each logged track; only title, artist and affect known)",
                    model, world.Catalog, testPatients, testSessions, OodRates.NearestSongs(realSongs)),
            ],
        ];

        return new FidelityReport
        {
            Command = commandLine,
            World = choice.ToString(),
            WorldConfigHash = world.Config.ConfigHash,
            ModelId = card.Id,
            ModelSimulatorConfigHash = card.SimulatorConfigHash,
            TestPatientsHeldOut = heldOut,
            SplitSeed = splitSeed,
            TestPatients = testPatients.Count,
            TestSteps = steps.Count,
            Fidelity = table,
            OracleGaps = OracleGaps.Of(steps, observations, predictions),
            Targets = TargetCheck.Evaluate(table),
            Ood = ood,
            EvaluatedAt = DateTimeOffset.UtcNow,
            Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
        };
    }

    /// <summary>The model's one-step-ahead means ([step][signal], NaN where unobserved) and its bands per observation.</summary>
    internal static (double[][] Means, Band[] Bands) ModelPredictions(WorldModelEnsemble model, TrainingData data,
        IReadOnlyList<Amrs.Core.Patients.Patient> patients, IReadOnlyList<HeldOutStep> steps, IReadOnlyList<SignalObservation> observations)
    {
        var encoder = model.CreateEncoder(data.Catalog);
        var byPatient = data.Sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        var histories = patients.Select(p => encoder.EncodeHistory(p, byPatient[p.PatientId])).Where(h => h.Count > 0).ToArray();
        var predicted = OneStepEvaluator.Predict(model, histories)
            .ToDictionary(p => (p.PatientId, p.StepIndex, p.Signal));

        var means = steps.Select(_ => Enumerable.Repeat(double.NaN, Signals.Count).ToArray()).ToArray();
        var bands = new Band[observations.Count];
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            var step = steps[o.StepNumber];
            if (!predicted.TryGetValue((step.Patient.PatientId, step.StepIndex, o.Signal), out var p))
                throw new InvalidOperationException(
                    $"The model made no prediction for {Signals.Names[o.Signal]} at step {step.StepIndex} of patient {step.Patient.PatientId}.");
            means[o.StepNumber][o.Signal] = p.Mean;
            bands[i] = new Band(p.Lower80, p.Upper80);
        }
        return (means, bands);
    }
}
