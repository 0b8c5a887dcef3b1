using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Policies;

/// <summary>
/// The greedy baseline: at each step the allowed, not yet chosen track with the highest utility under the
/// world model's predicted signals (the same utility, novelty and familiarity included). The chosen step is
/// appended with its predicted means as outcomes (certainty equivalent) before the next step is scored.
/// This optimises the model's predictions directly, which is where the paper saw diversity collapse.
/// </summary>
public sealed class GreedyWorldModelPlanner(WorldModelEnsemble ensemble, IReadOnlyList<Track> catalog) : IDisposable
{
    private readonly CandidateSet _candidates = ensemble.PrepareCandidates(catalog);
    private readonly EpisodeEncoder _encoder = ensemble.CreateEncoder(catalog);

    /// <param name="request">The history must be encoded with the world model's encoder (<see cref="WorldModelEnsemble.CreateEncoder"/>).</param>
    public PlaylistProposal Plan(ProposalRequest request)
    {
        var profile = request.Profile;
        var allowed = catalog.Select(t => TrackConstraints.IsAllowed(t, request.Patient, profile)).ToArray();
        var plays = WorldModelUtility.Plays(request.History.Steps);
        var chosen = new List<Track>();
        var utilities = new List<double>();
        var appended = new List<EncodedStep>();
        var context = new StepContext(profile.Mode, profile.Target, StartsSession: true, PositionInSession: 0);
        for (var step = 0; step < profile.PlaylistLength && allowed.Contains(true); step++)
        {
            var predictions = ensemble.Score(request.History.Append(appended), context, _candidates);
            var target = WorldModelUtility.StepTarget(profile, request.History, step);
            var best = -1;
            var bestUtility = double.NegativeInfinity;
            for (var j = 0; j < catalog.Count; j++)
            {
                if (!allowed[j]) continue;
                var u = WorldModelUtility.Score(profile.Weights, WorldModelUtility.Signals(predictions[j]), target, catalog[j], chosen, plays);
                if (u > bestUtility)
                {
                    bestUtility = u;
                    best = j;
                }
            }
            var p = predictions[best];
            chosen.Add(catalog[best]);
            utilities.Add(bestUtility);
            allowed[best] = false;
            appended.Add(_encoder.EncodeStep(catalog[best], context,
                new SignalValues(p.Engagement.Mean, p.Rating.Mean, p.Valence.Mean, p.Arousal.Mean), "plan", int.MaxValue));
            context = context.Next();
        }
        return new PlaylistProposal(chosen.Select(t => t.TrackId).ToArray(), DecodingSettings.Greedy, utilities);
    }

    public void Dispose() => _candidates.Dispose();
}
