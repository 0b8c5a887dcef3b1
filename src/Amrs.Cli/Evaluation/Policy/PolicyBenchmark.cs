using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Metrics;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.Policies;
using Amrs.Engine.Rollouts;
using Amrs.Engine.WorldModels;
using Amrs.Simulation;
using Amrs.Simulation.Generation;
using Amrs.Simulation.Truth;

namespace Amrs.Cli.Evaluation.Policy;

/// <summary>How the benchmark runs: sessions per test patient and what is averaged.</summary>
public sealed record BenchmarkSettings(int Rollouts = 2, int MaxPatients = 60, int PlaylistLength = 12, int WorldModelTrajectories = 8, int Seed = 99);

/// <summary>One session of one policy: the targets and the affect after each step, on the truth and in the world model.</summary>
public sealed record SessionOutcome(
    string Policy, SessionMode Mode, AffectPoint Target, IReadOnlyList<string> TrackIds,
    IReadOnlyList<PredictedSignals> Truth, IReadOnlyList<PredictedSignals> WorldModel);

/// <summary>
/// Every policy on cold-start test patients, every mode. Each (patient, rollout) starts from the patient's logged
/// history (the truth listener replays it, so familiarity is real), then plays one session per mode in a fixed
/// order with that mode's default profile aimed straight at its target (no iso path: attainment is measured
/// against the target at every step). A proposal is decoded before its session; the session is played on the
/// truth with the simulator's own noise, and what was observed joins the history the next proposal sees, so
/// rollouts differ. Measured twice: the truth's noise-free expectation after each track, and the world model's
/// predicted means for the same list from the same history.
/// </summary>
public static class PolicyBenchmark
{
    /// <summary>
    /// The policies compared. "greedy-va" and "dpo-va" are greedy and DPO asked for valence and arousal alone (the
    /// paper's weights, 0.5/0.5) instead of the mode's default weights: attainment measures affect alone, and the
    /// pair shows how far each follows the weights it is given. BC keeps the mode defaults it was cloned under.
    /// "posterior" is the oracle's planner on a <see cref="PosteriorListener"/> instead of the real patient: it knows the
    /// truth's equations but only what the history shows of the patient (their posterior, updated after every session),
    /// so it says how far planning could go with a world model as good as the history allows. Like the oracle it is a
    /// reference, not a policy the engine could learn.
    /// </summary>
    public static readonly string[] Policies = ["random", "greedy", "greedy-va", "bc", "dpo", "dpo-va", "posterior", "oracle"];

    /// <summary>Trait draws the "posterior" planner averages over when it picks a track.</summary>
    public const int PosteriorPlanningDraws = 128;
    public static readonly SessionMode[] Modes = [SessionMode.Clinical, SessionMode.Energize, SessionMode.Focus, SessionMode.Calm, SessionMode.Sleep];

    /// <param name="only">The policies to run (default: all of <see cref="Policies"/>); each policy's sessions depend only on its own choices.</param>
    public static IReadOnlyList<SessionOutcome> Run(GeneratedWorld world, TrainedPolicies models, BenchmarkSettings settings,
        Action<string, double> progress, CancellationToken cancellationToken, IReadOnlyList<string>? only = null)
    {
        var policies = only ?? Policies;
        var byId = world.Patients.ToDictionary(p => p.PatientId, StringComparer.Ordinal);
        var sessions = world.Sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        var patients = models.Split.Test.Where(id => sessions[id].Any()).Order(StringComparer.Ordinal).Take(settings.MaxPatients)
            .Select(id => byId[id]).ToArray();
        using var bcCatalog = new PolicyCatalog(models.Cloned, world.Catalog);
        using var dpoCatalog = new PolicyCatalog(models.Dpo, world.Catalog);
        using var greedy = new GreedyWorldModelPlanner(models.WorldModel, world.Catalog);
        var bc = new PlaylistProposer(bcCatalog);
        var dpo = new PlaylistProposer(dpoCatalog);
        var policyEncoder = models.Cloned.CreateEncoder(world.Catalog);
        var wmEncoder = models.WorldModel.CreateEncoder(world.Catalog);
        var rollouts = new RolloutEngine(models.WorldModel);
        var tracks = world.Catalog.ToDictionary(t => t.TrackId, StringComparer.Ordinal);
        var outcomes = new List<SessionOutcome>();
        var done = 0;
        var total = patients.Length * settings.Rollouts * policies.Count;
        for (var p = 0; p < patients.Length; p++)
        {
            var patient = patients[p];
            var logged = sessions[patient.PatientId].OrderBy(s => s.StartedAt).ToArray();
            for (var r = 0; r < settings.Rollouts; r++)
            {
                foreach (var policy in policies)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var listener = world.Listener(patient.PatientId).Replay(logged.Select(s => (IReadOnlyList<Track>)s.Steps.Select(x => tracks[x.TrackId]).ToArray()));
                    var noise = Rng(settings.Seed, 1, p * 1000 + r);
                    var choice = Rng(settings.Seed, 2, p * 1000 + r);
                    var posterior = policy == "posterior" ? Posterior(world, patient, logged, tracks) : null;
                    var policyHistory = policyEncoder.EncodeHistory(patient, logged);
                    var wmHistory = wmEncoder.EncodeHistory(patient, logged);
                    var ordinal = logged.Length;
                    foreach (var mode in Modes)
                    {
                        var profile = UtilityProfile.DefaultFor(mode) with { FollowIsoPath = false, PlaylistLength = settings.PlaylistLength };
                        listener.BeginSession();
                        posterior?.BeginSession();
                        IListenerModel? planner = policy switch
                        {
                            "oracle" => listener,
                            "posterior" => posterior!.Sample(PosteriorPlanningDraws),
                            _ => null,
                        };
                        var ids = policy switch
                        {
                            "random" => RandomList(world.Catalog, patient, profile, choice),
                            "greedy" => greedy.Plan(new ProposalRequest(patient, profile, wmHistory)).TrackIds,
                            "greedy-va" => greedy.Plan(new ProposalRequest(patient, profile with { Weights = UtilityWeights.PaperDefault }, wmHistory)).TrackIds,
                            "bc" => bc.Propose(new ProposalRequest(patient, profile, policyHistory)).TrackIds,
                            "dpo" => dpo.Propose(new ProposalRequest(patient, profile, policyHistory)).TrackIds,
                            "dpo-va" => dpo.Propose(new ProposalRequest(patient, profile with { Weights = UtilityWeights.PaperDefault }, policyHistory)).TrackIds,
                            _ => null,
                        };
                        var truth = new List<PredictedSignals>();
                        var played = new List<Track>();
                        var observedPolicy = new List<EncodedStep>();
                        var observedWm = new List<EncodedStep>();
                        var context = new StepContext(mode, profile.Target, true, 0);
                        var allowed = world.Catalog.Where(t => TrackConstraints.IsAllowed(t, patient, profile)).ToList();
                        for (var k = 0; k < settings.PlaylistLength; k++)
                        {
                            Track track;
                            if (planner is not null)
                            {
                                // The oracle (and the posterior): the allowed, unplayed track whose expected affect lands nearest the target.
                                var remaining = allowed.Where(t => !played.Contains(t)).ToArray();
                                if (remaining.Length == 0) break;
                                track = Nearest(planner, remaining, profile.Target);
                            }
                            else
                            {
                                if (ids is null || k >= ids.Count) break;
                                track = tracks[ids[k]];
                            }
                            var expected = listener.Expected(track);
                            truth.Add(new PredictedSignals(expected.Engagement, expected.RatingProbability, expected.Valence, expected.Arousal));
                            var seen = listener.Play(track, noise);
                            if (planner is PosteriorSample sample) sample.Advance(track);
                            posterior?.Observe(track, new LoggedStep(k, track.TrackId, seen.Engagement, seen.Rating, seen.Valence, seen.Arousal));
                            played.Add(track);
                            var signals = new SignalValues(seen.Engagement, seen.Rating, seen.Valence, seen.Arousal);
                            var sessionId = $"eval-{ordinal}";
                            observedPolicy.Add(policyEncoder.EncodeStep(track, context, signals, sessionId, ordinal));
                            observedWm.Add(wmEncoder.EncodeStep(track, context, signals, sessionId, ordinal));
                            context = context.Next();
                        }
                        if (played.Count == 0) continue;
                        var predicted = WorldModelView(rollouts, models.WorldModel, wmHistory, mode, profile.Target, played, settings, p * 1000 + r);
                        outcomes.Add(new SessionOutcome(policy, mode, profile.Target, played.Select(t => t.TrackId).ToArray(), truth, predicted));
                        policyHistory = policyHistory.Append(observedPolicy);
                        wmHistory = wmHistory.Append(observedWm);
                        ordinal++;
                    }
                    progress("evaluating", (double)++done / total);
                }
            }
        }
        return outcomes;
    }

    /// <summary>The track whose expected affect under <paramref name="planner"/> lands nearest the target (first of equals).</summary>
    private static Track Nearest(IListenerModel planner, Track[] candidates, AffectPoint target)
    {
        var distances = new double[candidates.Length];
        Parallel.For(0, candidates.Length, i => distances[i] = planner.Expected(candidates[i]).Affect.DistanceTo(target));
        var best = 0;
        for (var i = 1; i < distances.Length; i++)
            if (distances[i] < distances[best]) best = i;
        return candidates[best];
    }

    /// <summary>The posterior of the patient's traits after their logged history.</summary>
    private static PosteriorListener Posterior(GeneratedWorld world, Patient patient, IReadOnlyList<LoggedSession> logged, IReadOnlyDictionary<string, Track> tracks)
    {
        var posterior = PosteriorListener.Factory(world.Simulator)(patient);
        foreach (var session in logged)
        {
            posterior.BeginSession();
            foreach (var step in session.Steps)
                posterior.Observe(tracks[step.TrackId], step);
        }
        return posterior;
    }

    private static IReadOnlyList<PredictedSignals> WorldModelView(RolloutEngine rollouts, WorldModelEnsemble worldModel, EncodedHistory history,
        SessionMode mode, AffectPoint target, IReadOnlyList<Track> playlist, BenchmarkSettings settings, int seed)
    {
        using var set = worldModel.PrepareCandidates(playlist);
        var result = rollouts.Rollout(new RolloutRequest(history, new StepContext(mode, target, true, 0), settings.WorldModelTrajectories, seed), set);
        return result.Steps.Select(s => new PredictedSignals(s.Engagement.Mean, s.Rating.Mean, s.Valence.Mean, s.Arousal.Mean)).ToArray();
    }

    private static IReadOnlyList<string> RandomList(IReadOnlyList<Track> catalog, Patient patient, UtilityProfile profile, Random random)
    {
        var allowed = catalog.Where(t => TrackConstraints.IsAllowed(t, patient, profile)).ToArray();
        random.Shuffle(allowed);
        return allowed.Take(profile.PlaylistLength).Select(t => t.TrackId).ToArray();
    }

    // Every policy of a (patient, rollout) sees the same noise stream, so differences come from the choices.
    private static Random Rng(int seed, int stream, int index) => new(unchecked(seed * 1_000_003 + stream * 7_919 + index * 31));
}
