using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Engine.Policies;

namespace Amrs.Engine.Tests.Policies;

/// <summary>
/// A toy world with a known logging policy: in a session of mode m, track j is drawn (without repeats) with
/// probability proportional to exp(-Sharpness * |x_j - target(m)|) among the tracks the mode allows. Outcomes
/// are simple functions of the track, so a world model could learn them too.
/// </summary>
public sealed class PolicyToyWorld
{
    public const double Sharpness = 12;
    public static readonly string[] Genres = ["jazz", "folk", "rock", "classical"];

    public PolicyToyWorld(int tracks = 40, int patients = 30, int sessionsPerPatient = 4, int steps = 6, int seed = 3)
    {
        var random = new Random(seed);
        Catalog = Enumerable.Range(0, tracks).Select(i => new Track($"t{i:000}", $"Track {i}", $"Artist {i % 9}",
            Math.Round(random.NextDouble(), 3), Math.Round(random.NextDouble(), 3), 1950 + random.Next(50), Genres[i % Genres.Length], 200)).ToArray();
        Patients = Enumerable.Range(0, patients).Select(i => new Patient($"p{i:00}", 1940 + random.Next(40),
            i % 2 == 0 ? CareSetting.Clinical : CareSetting.Consumer, CognitiveStage.None, [Genres[i % 4]], null, [], true)).ToArray();
        var sessions = new List<LoggedSession>();
        var start = new DateTimeOffset(2026, 2, 2, 9, 0, 0, TimeSpan.Zero);
        foreach (var patient in Patients)
        {
            for (var s = 0; s < sessionsPerPatient; s++)
            {
                var mode = (SessionMode)random.Next(5);
                var target = ModeTargets.DefaultTarget(mode);
                var played = new HashSet<string>();
                var list = new List<LoggedStep>();
                for (var k = 0; k < steps; k++)
                {
                    var probabilities = LoggingProbabilities(patient, mode, played);
                    var r = random.NextDouble();
                    var pick = 0;
                    for (; pick < probabilities.Length - 1; pick++)
                    {
                        r -= probabilities[pick];
                        if (r < 0) break;
                    }
                    var track = Catalog[pick];
                    played.Add(track.TrackId);
                    var close = 1 - new AffectPoint(track.Valence, track.Arousal).DistanceTo(target) / AffectPoint.MaxDistance;
                    list.Add(new LoggedStep(k, track.TrackId, Math.Round(0.2 + 0.7 * close, 3), k % 3 == 0 ? (close > 0.7 ? 1 : 0) : null,
                        k % 2 == 0 ? Math.Round(0.5 * track.Valence + 0.25, 2) : null, k % 2 == 0 ? Math.Round(0.5 * track.Arousal + 0.25, 2) : null));
                }
                sessions.Add(new LoggedSession($"{patient.PatientId}-{s}", patient.PatientId, start.AddDays(3 * s), mode, target, list));
            }
        }
        Sessions = sessions;
    }

    public IReadOnlyList<Track> Catalog { get; }
    public IReadOnlyList<Patient> Patients { get; }
    public IReadOnlyList<LoggedSession> Sessions { get; }

    /// <summary>The logging policy's probabilities over the catalog (0 for played or disallowed tracks).</summary>
    public double[] LoggingProbabilities(Patient patient, SessionMode mode, IReadOnlySet<string> played)
    {
        var target = ModeTargets.DefaultTarget(mode);
        var profile = Amrs.Core.Utility.UtilityProfile.DefaultFor(mode);
        var weights = Catalog.Select(t =>
            played.Contains(t.TrackId) || !Amrs.Core.Utility.TrackConstraints.IsAllowed(t, patient, profile)
                ? 0
                : Math.Exp(-Sharpness * new AffectPoint(t.Valence, t.Arousal).DistanceTo(target))).ToArray();
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }

    public PolicyTrainingData Data()
    {
        var cut = Patients.Count * 4 / 5;
        return PolicyTrainingData.Prepare(Catalog, Patients.Take(cut).ToArray(), Patients.Skip(cut).ToArray(), Sessions);
    }
}

/// <summary>Tiny policy settings and a once-trained behaviour-cloning policy shared by the tests.</summary>
public static class TinyPolicies
{
    public static PolicyOptions Options { get; } = new()
    {
        ModelDim = 16, Heads = 2, Layers = 1, FeedForwardDim = 32, IdEmbeddingDim = 4, TrackEmbeddingDim = 16,
        HiddenDim = 32, KeyDim = 16, MaxHistory = 24, Dropout = 0, IdDropout = 0,
    };

    public static BehaviourCloningOptions Cloning { get; } = new()
    {
        MaxEpochs = 40, BatchSize = 16, LearningRate = 1e-2, Patience = 40, Seed = 5,
    };

    private static readonly Lazy<(PolicyToyWorld World, PolicyTrainingData Data, BehaviourCloningResult Result)> Shared = new(() =>
    {
        var world = new PolicyToyWorld();
        var data = world.Data();
        return (world, data, new BehaviourCloningTrainer(Options, Cloning).Train(data, null, TestContext.Current.CancellationToken));
    });

    /// <summary>Trained once per test run on the default toy world (do not dispose).</summary>
    public static (PolicyToyWorld World, PolicyTrainingData Data, BehaviourCloningResult Result) Cloned => Shared.Value;

    /// <summary>An untrained policy for the toy world's featurisation (the caller disposes it).</summary>
    public static PolicyModel Untrained(PolicyTrainingData data, int seed = 1)
    {
        TorchSharp.torch.manual_seed(seed);
        var model = PolicyModel.Create(data.Histories.Spec, data.Histories.Vocabulary, Options, data.Histories.Layout);
        model.Network.eval();
        return model;
    }
}
