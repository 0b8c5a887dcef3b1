using System.Diagnostics;
using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.Rollouts;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Policies;

/// <summary>
/// Makes DPO preference pairs from the logs and the world model, each scored by the Core utility under weights
/// sampled around the mode's defaults (70 %), the paper's valence/arousal half-and-half (15 %) or any weights
/// (15 %), so the policy learns to follow the weights it is given.
/// <list type="bullet">
/// <item>Negative-feedback corrections (the paper's): at a logged step with a poor outcome (engagement below 0.5,
/// a negative rating, or observed affect further than 0.3 from the target), the candidates are the logged track's
/// nearest neighbours in affect plus random tracks; the one with the highest world-model utility is chosen, the
/// logged track rejected.</item>
/// <item>Playlist pairs: two lists sampled from the reference policy (simulation-only sampling), each rolled out
/// in the world model; the one with the higher mean step utility is chosen.</item>
/// <item>Step pairs (<see cref="DpoOptions.StepPairs"/>): at a logged step, the allowed track of highest world-model
/// utility is chosen and the reference policy's own first choice rejected, where they differ.</item>
/// </list>
/// Deterministic for a seed at a fixed torch thread count.
/// </summary>
public sealed class PreferencePairBuilder(WorldModelEnsemble worldModel, PlaylistProposer reference, DpoOptions options)
{
    public const double PoorEngagement = 0.5;
    public const double PoorAffectDistance = 0.3;

    public IReadOnlyList<PreferencePair> Build(PolicyTrainingData data, IReadOnlyList<EncodedHistory> histories, int seed,
        IProgress<PolicyTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var catalog = reference.Catalog;
        var wmEncoder = worldModel.CreateEncoder(catalog.Tracks);
        var wmHistories = histories.ToDictionary(h => h.PatientId,
            h => wmEncoder.EncodeHistory(data.Patients[h.PatientId], data.Sessions[h.PatientId]), StringComparer.Ordinal);
        var total = options.CorrectionPairs + options.PlaylistPairs + options.StepPairs;
        var pairs = new List<PreferencePair>();

        var poor = histories
            .SelectMany(h => Enumerable.Range(0, h.Count).Where(t => IsPoor(h.Steps[t])).Select(t => (History: h, Step: t)))
            .ToArray();
        random.Shuffle(poor);
        var byAffect = catalog.Tracks.Select((t, i) => (t.Valence, t.Arousal, Index: i)).ToArray();
        foreach (var (history, step) in poor)
        {
            if (pairs.Count >= options.CorrectionPairs) break;
            cancellationToken.ThrowIfCancellationRequested();
            if (Correction(data, history, wmHistories[history.PatientId], step, byAffect, random) is { } pair) pairs.Add(pair);
            if (pairs.Count % 100 == 0) progress?.Report(new PolicyTrainingProgress("preference pairs", pairs.Count, total, null, null, clock.Elapsed));
        }

        var sessionStarts = histories
            .SelectMany(h => Enumerable.Range(0, h.Count).Where(t => h.Steps[t].Context.StartsSession).Select(t => (History: h, Step: t)))
            .ToArray();
        Draw(sessionStarts, options.PlaylistPairs, (history, step) => PlaylistPair(data, history, wmHistories[history.PatientId], step, random));
        var steps = histories.SelectMany(h => Enumerable.Range(0, h.Count).Select(t => (History: h, Step: t))).ToArray();
        Draw(steps, options.StepPairs, (history, step) => StepPair(data, history, wmHistories[history.PatientId], step, random));
        progress?.Report(new PolicyTrainingProgress("preference pairs", total, total, null, null, clock.Elapsed));
        return pairs;

        // Pairs at states drawn at random (with replacement), until `wanted` are made or three times as many were tried.
        void Draw((EncodedHistory History, int Step)[] states, int wanted, Func<EncodedHistory, int, PreferencePair?> make)
        {
            var before = pairs.Count;
            for (var attempt = 0; pairs.Count - before < wanted && attempt < 3 * wanted && states.Length > 0; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (history, step) = states[random.Next(states.Length)];
                if (make(history, step) is { } pair) pairs.Add(pair);
                if ((pairs.Count - before) % 25 == 0)
                    progress?.Report(new PolicyTrainingProgress("preference pairs", pairs.Count, total, null, null, clock.Elapsed));
            }
        }
    }

    public static bool IsPoor(EncodedStep step)
    {
        if (step.Observed[Signals.Engagement] > 0 && step.Outcomes[Signals.Engagement] < PoorEngagement) return true;
        if (step.Observed[Signals.Rating] > 0 && step.Outcomes[Signals.Rating] < 0.5) return true;
        if (step.Observed[Signals.Valence] > 0 && step.Observed[Signals.Arousal] > 0)
        {
            var observed = new AffectPoint(step.Outcomes[Signals.Valence], step.Outcomes[Signals.Arousal]);
            if (observed.DistanceTo(step.Context.Target) > PoorAffectDistance) return true;
        }
        return false;
    }

    /// <summary>Weights for one pair: near the mode's defaults, the paper's, or anything valid.</summary>
    public static UtilityWeights SampleWeights(SessionMode mode, Random random, double spread)
    {
        var draw = random.NextDouble();
        if (draw < 0.15) return UtilityWeights.PaperDefault;
        double[] values;
        if (draw < 0.30)
        {
            values = Enumerable.Range(0, UtilityWeights.Count).Select(_ => random.NextDouble()).ToArray();
        }
        else
        {
            values = UtilityWeights.DefaultFor(mode).ToArray()
                .Select(w => Math.Clamp(w * Math.Exp(spread * Gaussian(random)), 0, 1)).ToArray();
        }
        if (values.Sum() <= 1e-6) values[0] = values[1] = 0.5;
        return UtilityWeights.FromArray(values);
    }

    /// <summary>
    /// What a pair at a logged step starts from: the weights drawn for it, the history before the session, the session so
    /// far, what the profile allows (<see cref="Allowed"/>) and what the decoder could still play there (<see cref="Open"/>:
    /// allowed and not yet in the session).
    /// </summary>
    private sealed record LoggedState(EncodedStep Logged, UtilityWeights Weights, UtilityProfile Profile, int SessionStart,
        EncodedHistory Before, EncodedStep[] SessionSoFar, bool[] Allowed, bool[] Open);

    /// <summary>Whether a track may be a candidate at <paramref name="state"/>: open there, and known to the world model if asked.</summary>
    private bool Usable(LoggedState state, int j) =>
        state.Open[j] && (!options.KnownTracksOnly || worldModel.Vocabulary.Contains(reference.Catalog.Tracks[j].TrackId));

    private LoggedState StateAt(PolicyTrainingData data, EncodedHistory history, int step, Random random)
    {
        var catalog = reference.Catalog;
        var logged = history.Steps[step];
        var context = logged.Context;
        var weights = SampleWeights(context.Mode, random, options.WeightSpread);
        var profile = new UtilityProfile(context.Mode, context.Target, weights, FollowIsoPath: false);
        var sessionStart = step - context.PositionInSession;
        var sessionSoFar = history.Steps.Skip(sessionStart).Take(step - sessionStart).ToArray();
        var inSession = sessionSoFar.Select(s => s.TrackId).ToHashSet(StringComparer.Ordinal);
        var allowed = reference.AllowedMask(data.Patients[history.PatientId], profile);
        var open = allowed.Select((a, j) => a && !inSession.Contains(catalog.Tracks[j].TrackId)).ToArray();
        var before = history with { Steps = history.Steps.Take(sessionStart).ToArray() };
        return new LoggedState(logged, weights, profile, sessionStart, before, sessionSoFar, allowed, open);
    }

    private PreferencePair? Correction(PolicyTrainingData data, EncodedHistory history, EncodedHistory wmHistory, int step,
        (double Valence, double Arousal, int Index)[] byAffect, Random random)
    {
        var catalog = reference.Catalog;
        var state = StateAt(data, history, step, random);
        var logged = state.Logged;
        bool Candidate(int j) => Usable(state, j) && catalog.Tracks[j].TrackId != logged.TrackId;

        var loggedTrack = catalog.Tracks[catalog.IndexOf(logged.TrackId)];
        var candidates = byAffect
            .Where(t => Candidate(t.Index))
            .OrderBy(t => Math.Pow(t.Valence - loggedTrack.Valence, 2) + Math.Pow(t.Arousal - loggedTrack.Arousal, 2))
            .ThenBy(t => t.Index)
            .Take(options.Neighbours)
            .Select(t => t.Index)
            .ToList();
        for (var tries = 0; tries < 4 * options.RandomCandidates && candidates.Count < options.Neighbours + options.RandomCandidates; tries++)
        {
            var j = random.Next(catalog.Count);
            if (Candidate(j) && !candidates.Contains(j)) candidates.Add(j);
        }
        return Preferred(PreferencePair.Correction, history, wmHistory, step, state, candidates, catalog.IndexOf(logged.TrackId));
    }

    private PreferencePair? StepPair(PolicyTrainingData data, EncodedHistory history, EncodedHistory wmHistory, int step, Random random)
    {
        var catalog = reference.Catalog;
        var state = StateAt(data, history, step, random);
        var usable = Enumerable.Range(0, catalog.Count).Where(j => Usable(state, j)).ToArray();
        if (usable.Length < 2) return null;
        var first = reference.FirstChoice(state.Before, state.SessionSoFar, state.Logged.Context, PolicyCondition.Encode(state.Profile), state.Open);
        if (first < 0) return null;
        if (usable.Length > options.StepCandidates) random.Shuffle(usable);
        var candidates = usable.Take(options.StepCandidates).Where(j => j != first).ToList();
        return Preferred(PreferencePair.Step, history, wmHistory, step, state, candidates, first);
    }

    /// <summary>
    /// The candidate of highest world-model utility (pessimistic across members) preferred to <paramref name="rejected"/>,
    /// when it is better by the options' gap (and, if asked, by every member); else null.
    /// </summary>
    private PreferencePair? Preferred(string kind, EncodedHistory history, EncodedHistory wmHistory, int step, LoggedState state,
        List<int> candidates, int rejected)
    {
        if (candidates.Count == 0) return null;
        var catalog = reference.Catalog;
        var context = state.Logged.Context;
        var scored = candidates.Append(rejected).Select(j => catalog.Tracks[j]).ToArray();
        using var set = worldModel.PrepareCandidates(scored);
        var members = MemberSignals(wmHistory with { Steps = wmHistory.Steps.Take(step).ToArray() }, context, set);
        var plays = WorldModelUtility.Plays(history.Steps.Take(state.SessionStart));
        var earlier = state.SessionSoFar.Select(s => catalog.Tracks[catalog.IndexOf(s.TrackId)]).ToArray();
        // utilities[k][i]: member k's utility of candidate i (the rejected track last).
        var utilities = members.Select(signals => scored.Select((t, i) =>
            WorldModelUtility.Score(state.Weights, signals[i], context.Target, t, earlier, plays)).ToArray()).ToArray();
        var mean = Enumerable.Range(0, scored.Length).Select(i => utilities.Average(u => u[i])).ToArray();
        var best = PessimisticBest(utilities, candidates.Count, options.UncertaintyPenalty);
        var rejectedUtility = mean[^1];
        if (mean[best] < rejectedUtility + options.MinUtilityGap) return null;
        // Trust a preference only where the ensemble agrees: where members disagree, a "better" track may be the model's error.
        if (options.RequireMemberAgreement && !EveryMemberPrefers(utilities, best, scored.Length - 1, options.MinUtilityGap)) return null;
        return new PreferencePair(kind, state.Before, state.SessionSoFar, context,
            PolicyCondition.Encode(state.Profile), state.Allowed, [candidates[best]], [rejected], mean[best], rejectedUtility);
    }

    /// <summary>
    /// The candidate (among the first <paramref name="count"/>) with the highest mean utility across members minus
    /// <paramref name="penalty"/> standard deviations of the members' utilities; ties go to the earlier candidate.
    /// </summary>
    /// <param name="utilities">[member][candidate]</param>
    public static int PessimisticBest(IReadOnlyList<double[]> utilities, int count, double penalty)
    {
        double Score(int i)
        {
            var mean = utilities.Average(u => u[i]);
            return mean - penalty * Math.Sqrt(utilities.Average(u => (u[i] - mean) * (u[i] - mean)));
        }
        var best = 0;
        for (var i = 1; i < count; i++) if (Score(i) > Score(best)) best = i;
        return best;
    }

    /// <summary>Whether every member rates <paramref name="chosen"/> above <paramref name="rejected"/> by at least <paramref name="gap"/>.</summary>
    public static bool EveryMemberPrefers(IReadOnlyList<double[]> utilities, int chosen, int rejected, double gap) =>
        utilities.All(u => u[chosen] >= u[rejected] + gap);

    /// <summary>Each ensemble member's predicted signals for every candidate: [member][candidate].</summary>
    private PredictedSignals[][] MemberSignals(EncodedHistory history, StepContext next, CandidateSet candidates)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var raw = worldModel.ScoreRaw(history, next, candidates);
        var (means, _) = PredictiveDistribution.MeansAndVariances(raw);
        var values = means.ToFloatArray();
        var (k, c) = ((int)means.shape[0], (int)means.shape[1]);
        return Enumerable.Range(0, k).Select(m => Enumerable.Range(0, c).Select(i =>
        {
            var at = (m * c + i) * Signals.Count;
            return new PredictedSignals(values[at + Signals.Engagement], values[at + Signals.Rating], values[at + Signals.Valence], values[at + Signals.Arousal]);
        }).ToArray()).ToArray();
    }

    private PreferencePair? PlaylistPair(PolicyTrainingData data, EncodedHistory history, EncodedHistory wmHistory, int step, Random random)
    {
        var catalog = reference.Catalog;
        var context = history.Steps[step].Context with { StartsSession = true, PositionInSession = 0 };
        var patient = data.Patients[history.PatientId];
        var weights = SampleWeights(context.Mode, random, options.WeightSpread);
        var profile = new UtilityProfile(context.Mode, context.Target, weights, FollowIsoPath: false, PlaylistLength: options.PlaylistLength);
        var before = history with { Steps = history.Steps.Take(step).ToArray() };
        var wmBefore = wmHistory with { Steps = wmHistory.Steps.Take(step).ToArray() };
        var request = new ProposalRequest(patient, profile, before);
        var first = reference.Sample(request, random.Next());
        var second = reference.Sample(request, random.Next());
        if (first.TrackIds.Count != options.PlaylistLength || second.TrackIds.Count != options.PlaylistLength) return null;
        if (first.TrackIds.SequenceEqual(second.TrackIds)) return null;
        var seed = random.Next();
        double Utility(PlaylistProposal proposal)
        {
            var tracks = proposal.TrackIds.Select(id => catalog.Tracks[catalog.IndexOf(id)]).ToArray();
            using var set = worldModel.PrepareCandidates(tracks);
            var rollout = new RolloutEngine(worldModel).Rollout(new RolloutRequest(wmBefore, context, options.RolloutTrajectories, seed), set);
            var predicted = rollout.Steps.Select(s => new PredictedSignals(s.Engagement.Mean, s.Rating.Mean, s.Valence.Mean, s.Arousal.Mean)).ToArray();
            return WorldModelUtility.PlaylistScore(profile, before, tracks, predicted);
        }
        var (u1, u2) = (Utility(first), Utility(second));
        if (Math.Abs(u1 - u2) < options.MinUtilityGap) return null;
        var (chosen, rejected) = u1 > u2 ? (first, second) : (second, first);
        return new PreferencePair(PreferencePair.Playlist, before, [], context, PolicyCondition.Encode(profile),
            reference.AllowedMask(patient, profile),
            chosen.TrackIds.Select(catalog.IndexOf).ToArray(), rejected.TrackIds.Select(catalog.IndexOf).ToArray(),
            Math.Max(u1, u2), Math.Min(u1, u2));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
