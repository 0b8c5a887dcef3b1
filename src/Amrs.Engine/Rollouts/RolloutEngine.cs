using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Rollouts;

/// <summary>
/// Simulates sessions with the world model: at each step the chosen track is scored, outcomes are sampled
/// from the member's predictive distribution (engagement and affect Gaussian, clipped to 0..1; rating
/// Bernoulli) and fed back as observed. Trajectories are split over the ensemble members (trajectory i uses
/// member i mod K, so epistemic uncertainty shows in the spread). Each member encodes the history once and
/// then, per step, one batched incremental forward over its trajectories (keys and values are cached).
/// </summary>
public sealed class RolloutEngine(WorldModelEnsemble ensemble)
{
    public WorldModelEnsemble Ensemble { get; } = ensemble;

    /// <summary>Plays <paramref name="playlist"/> in order in every trajectory.</summary>
    public RolloutResult Rollout(RolloutRequest request, CandidateSet playlist) =>
        Rollout(request, playlist, playlist.Count,
            input => Enumerable.Repeat(input.Step, input.SoFar.Count).ToArray());

    /// <summary>Lets <paramref name="policy"/> choose each step's track from <paramref name="candidates"/>.</summary>
    public RolloutResult Rollout(RolloutRequest request, CandidateSet candidates, int steps, RolloutPolicy policy)
    {
        if (request.Trajectories <= 0) throw new ArgumentException("At least one trajectory is needed.", nameof(request));
        if (steps <= 0) throw new ArgumentException("At least one step is needed.", nameof(steps));
        lock (Ensemble.Gate)
        {
            using var mode = torch.inference_mode();
            using var scope = torch.NewDisposeScope();
            return Simulate(request, candidates, steps, policy);
        }
    }

    private RolloutResult Simulate(RolloutRequest request, CandidateSet candidates, int steps, RolloutPolicy policy)
    {
        var members = Ensemble.Members;
        var n = request.Trajectories;
        var options = Ensemble.Options;
        var history = request.History.TakeLast(WorldModelEnsemble.ServingHistory(options, steps));
        using var generator = new Generator((ulong)request.Seed, torch.CPU);
        var patient = torch.tensor(history.PatientContext, [1, history.PatientContext.Length]);
        // Each trajectory's history summary grows with its own simulated steps (all signals observed).
        var layout = Ensemble.Layout;
        var baseSummary = layout.Summarise(history.Earlier.Concat(history.Steps));
        var summaries = Enumerable.Range(0, n).Select(_ => baseSummary.Clone()).ToArray();
        var allObserved = Enumerable.Repeat(1f, Signals.Count).ToArray();

        // Trajectory i belongs to member i mod K. Each member encodes the shared history once (batch 1),
        // then its cache is repeated for its trajectories and grows by one token per simulated step.
        var groups = Enumerable.Range(0, members.Count)
            .Select(k => Enumerable.Range(0, n).Where(i => i % members.Count == k).ToArray())
            .ToArray();
        var states = new Tensor?[members.Count];
        var caches = new EncoderCache?[members.Count];
        using (var baseTokens = HistoryTensors.ForNextStep(history, request.Start, Ensemble.Layout))
        {
            for (var k = 0; k < members.Count; k++)
            {
                if (groups[k].Length == 0) continue;
                var (baseStates, baseCache) = members[k].Prefill(baseTokens.PreviousTrack, baseTokens.PreviousIds, baseTokens.Context);
                using (baseCache)
                {
                    caches[k] = baseCache.Expand(groups[k].Length);
                }
                states[k] = baseStates[-1].expand(groups[k].Length, -1);
            }
        }

        try
        {
            var trajectories = Enumerable.Range(0, n).Select(_ => new List<SimulatedStep>()).ToArray();
            var context = request.Start;
            for (var step = 0; step < steps; step++)
            {
                var choices = policy(new RolloutPolicyInput(step, request.History, trajectories));
                if (choices.Count != n) throw new InvalidOperationException($"The policy returned {choices.Count} choices for {n} trajectories.");
                var nextContext = context.Next();
                var stepContext = new float[StepContext.Size];
                nextContext.WriteTo(stepContext);
                for (var k = 0; k < members.Count; k++)
                {
                    var group = groups[k];
                    if (group.Length == 0) continue;
                    var b = group.Length;
                    var chosen = torch.tensor(group.Select(i => (long)CheckedChoice(choices[i], candidates.Count)).ToArray());
                    var parts = candidates.CachedPartsFor(members[k]).Select(p => p.index_select(0, chosen)).ToArray();
                    var prediction = members[k].PredictFromCandidateParts(states[k]!, parts);
                    var (means, variances) = PredictiveDistribution.MeansAndVariances(prediction);
                    var outcomes = Sample(means, variances, generator);

                    var values = outcomes.contiguous().data<float>().ToArray();
                    for (var g = 0; g < b; g++)
                    {
                        var choice = choices[group[g]];
                        trajectories[group[g]].Add(new SimulatedStep(choice, candidates.TrackIds[choice],
                            values.AsSpan(g * Signals.Count, Signals.Count).ToArray()));
                    }
                    if (step == steps - 1) continue;

                    var summaryValues = new float[b * layout.SummarySize];
                    for (var g = 0; g < b; g++)
                    {
                        var summary = summaries[group[g]];
                        summary.Add(candidates.FeaturesOf(choices[group[g]]), values.AsSpan(g * Signals.Count, Signals.Count), allObserved,
                            context.PositionInSession);
                        if (layout.SummarySize > 0) summary.WriteTo(summaryValues.AsSpan(g * layout.SummarySize, layout.SummarySize));
                    }

                    // The played step becomes the next token: its track, its sampled outcomes (observed), the next context
                    // and the summary of everything played so far.
                    var tokenContext = torch.cat(
                    [
                        outcomes, torch.ones(b, Signals.Count + 1),
                        torch.tensor(stepContext, [1, StepContext.Size]).expand(b, -1),
                        patient.expand(b, -1),
                        torch.tensor(summaryValues, [b, layout.SummarySize]),
                    ], 1);
                    var next = members[k].Extend(candidates.Features.index_select(0, chosen).unsqueeze(0),
                        candidates.Ids.index_select(0, chosen).unsqueeze(0), tokenContext.unsqueeze(0), caches[k]!);
                    states[k] = next[0];
                }
                context = nextContext;
            }
            return new RolloutResult(Summarise(trajectories, steps), trajectories);
        }
        finally
        {
            foreach (var cache in caches) cache?.Dispose();
        }
    }

    private static int CheckedChoice(int choice, int count) =>
        choice >= 0 && choice < count ? choice : throw new InvalidOperationException($"The policy chose candidate {choice}; there are {count}.");

    /// <summary>Engagement and affect ~ Gaussian clipped to 0..1; rating ~ Bernoulli.</summary>
    private static Tensor Sample(Tensor means, Tensor variances, Generator generator)
    {
        var noise = torch.randn(means.shape, generator: generator);
        var uniform = torch.rand(new[] { means.shape[0] }, generator: generator);
        var continuous = means.add(noise * variances.sqrt(), Scalars.Of(1)).clamp(Scalars.Of(0), Scalars.Of(1));
        var rating = (uniform < means[.., Signals.Rating]).to_type(ScalarType.Float32);
        return torch.cat(
        [
            continuous[.., Signals.Engagement..(Signals.Engagement + 1)],
            rating.unsqueeze(1),
            continuous[.., Signals.Valence..(Signals.Arousal + 1)],
        ], 1);
    }

    private static IReadOnlyList<RolloutStep> Summarise(IReadOnlyList<List<SimulatedStep>> trajectories, int steps)
    {
        var result = new List<RolloutStep>();
        for (var step = 0; step < steps; step++)
        {
            var atStep = trajectories.Select(t => t[step]).ToArray();
            var first = atStep[0].TrackId;
            var sameTrack = atStep.All(s => s.TrackId == first);
            SignalBand Band(int signal)
            {
                var sorted = atStep.Select(s => (double)s.Outcomes[signal]).Order().ToArray();
                return new SignalBand(sorted.Average(), Quantiles.OfSorted(sorted, 0.1), Quantiles.OfSorted(sorted, 0.5),
                    Quantiles.OfSorted(sorted, 0.9));
            }
            result.Add(new RolloutStep(step, sameTrack ? first : null,
                Band(Signals.Engagement), Band(Signals.Rating), Band(Signals.Valence), Band(Signals.Arousal)));
        }
        return result;
    }
}
