using Amrs.Engine.Episodes;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Rollouts;

/// <summary>
/// Simulates sessions with the world model: at each step the chosen track is scored, outcomes are sampled
/// from the member's predictive distribution (engagement and affect Gaussian, clipped to 0..1; rating
/// Bernoulli) and fed back as observed. Trajectories are split over the ensemble members (trajectory i uses
/// member i mod K, so epistemic uncertainty shows in the spread) and each member runs one batched forward
/// per step over its trajectories.
/// </summary>
public sealed class RolloutEngine(WorldModelEnsemble ensemble)
{
    private readonly Lock _gate = new();

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
        lock (_gate)
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
        var layout = Ensemble.Layout;
        var options = Ensemble.Options;
        // With learned positions the whole sequence must fit the trained length; otherwise keep MaxHistory.
        var keep = options.UsePositionalEncoding ? Math.Max(0, options.MaxHistory - steps + 1) : options.MaxHistory;
        var history = request.History.TakeLast(keep);
        var generator = new Generator((ulong)request.Seed, torch.CPU);

        var groups = Enumerable.Range(0, members.Count)
            .Select(k => Enumerable.Range(0, n).Where(i => i % members.Count == k).ToArray())
            .ToArray();
        var baseTokens = HistoryTensors.ForNextStep(history, request.Start, layout);
        var patient = torch.tensor(history.PatientContext, [1, history.PatientContext.Length]);
        var candidateEmbeddings = members.Select(m => m.EmbedTracks(candidates.Features, candidates.Ids)).ToArray();
        // Simulated tokens per member: [j, Bk, *]; grow by one token per step.
        var appended = groups.Select(_ => new List<(Tensor Track, Tensor Ids, Tensor Context)>()).ToArray();

        var trajectories = Enumerable.Range(0, n).Select(_ => new List<SimulatedStep>()).ToArray();
        var context = request.Start;
        for (var step = 0; step < steps; step++)
        {
            var choices = policy(new RolloutPolicyInput(step, request.History, trajectories));
            if (choices.Count != n) throw new InvalidOperationException($"The policy returned {choices.Count} choices for {n} trajectories.");
            var nextContext = context.Next();
            for (var k = 0; k < members.Count; k++)
            {
                var group = groups[k];
                if (group.Length == 0) continue;
                var b = group.Length;
                var chosen = torch.tensor(group.Select(i => (long)CheckedChoice(choices[i], candidates.Count)).ToArray());

                var previousTrack = torch.cat([baseTokens.PreviousTrack.expand(-1, b, -1), .. appended[k].Select(a => a.Track)], 0);
                var previousIds = torch.cat([baseTokens.PreviousIds.expand(-1, b), .. appended[k].Select(a => a.Ids)], 0);
                var tokenContext = torch.cat([baseTokens.Context.expand(-1, b, -1), .. appended[k].Select(a => a.Context)], 0);
                var states = members[k].call(previousTrack, previousIds, tokenContext);
                var prediction = members[k].Predict(states[-1], candidateEmbeddings[k].index_select(0, chosen));
                var (means, variances) = PredictiveDistribution.MeansAndVariances(prediction);
                var outcomes = Sample(means, variances, generator);

                var values = outcomes.contiguous().data<float>().ToArray();
                for (var g = 0; g < b; g++)
                {
                    var choice = choices[group[g]];
                    trajectories[group[g]].Add(new SimulatedStep(choice, candidates.TrackIds[choice],
                        values.AsSpan(g * Signals.Count, Signals.Count).ToArray()));
                }

                var stepContext = new float[StepContext.Size];
                nextContext.WriteTo(stepContext);
                var known = torch.ones(b, Signals.Count + 1);
                var nextTokenContext = torch.cat(
                [
                    outcomes, known,
                    torch.tensor(stepContext, [1, StepContext.Size]).expand(b, -1),
                    patient.expand(b, -1),
                ], 1);
                appended[k].Add((candidates.Features.index_select(0, chosen).unsqueeze(0),
                    candidates.Ids.index_select(0, chosen).unsqueeze(0), nextTokenContext.unsqueeze(0)));
            }
            context = nextContext;
        }
        baseTokens.Dispose();
        return new RolloutResult(Summarise(trajectories, steps), trajectories);
    }

    private static int CheckedChoice(int choice, int count) =>
        choice >= 0 && choice < count ? choice : throw new InvalidOperationException($"The policy chose candidate {choice}; there are {count}.");

    /// <summary>Engagement and affect ~ Gaussian clipped to 0..1; rating ~ Bernoulli.</summary>
    private static Tensor Sample(Tensor means, Tensor variances, Generator generator)
    {
        var noise = torch.randn(means.shape, generator: generator);
        var uniform = torch.rand(new[] { means.shape[0] }, generator: generator);
        var continuous = (means + noise * variances.sqrt()).clamp(0, 1);
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
