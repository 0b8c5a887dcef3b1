using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Policies;

/// <summary>
/// The Core utility (<see cref="UtilityFunction"/>) fed with world-model predictions: the one scoring used by
/// the greedy baseline, the DPO preference pairs and the evaluation inside the world model.
/// </summary>
public static class WorldModelUtility
{
    public static PredictedSignals Signals(TrackPrediction prediction) =>
        new(prediction.Engagement.Mean, prediction.Rating.Mean, prediction.Valence.Mean, prediction.Arousal.Mean);

    /// <summary>
    /// The target of step <paramref name="step"/>: on the iso path from the patient's last observed affect when
    /// the profile follows it (and an affect was ever observed), else the profile's target.
    /// </summary>
    public static AffectPoint StepTarget(UtilityProfile profile, EncodedHistory history, int step) =>
        profile.FollowIsoPath && PolicyTrainingData.LastObservedAffect(history.Steps) is { } start
            ? IsoPath.TargetAt(start, profile.Target, step, profile.PlaylistLength)
            : profile.Target;

    /// <summary>Plays of each track in the history (for familiarity).</summary>
    public static Dictionary<string, int> Plays(IEnumerable<EncodedStep> steps)
    {
        var plays = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps) plays[step.TrackId] = plays.GetValueOrDefault(step.TrackId) + 1;
        return plays;
    }

    /// <summary>Utility of <paramref name="track"/> as the next entry of a list that already holds <paramref name="earlier"/>.</summary>
    public static double Score(UtilityWeights weights, PredictedSignals predicted, AffectPoint stepTarget, Track track,
        IReadOnlyList<Track> earlier, IReadOnlyDictionary<string, int> plays) =>
        UtilityFunction.Score(weights, predicted, stepTarget, PlaylistNovelty.Of(track, earlier),
            PlaylistNovelty.Familiarity(plays.GetValueOrDefault(track.TrackId)));

    /// <summary>The mean step utility of a playlist given predicted signals per step (same order as <paramref name="playlist"/>).</summary>
    public static double PlaylistScore(UtilityProfile profile, EncodedHistory history, IReadOnlyList<Track> playlist,
        IReadOnlyList<PredictedSignals> predicted)
    {
        var plays = Plays(history.Steps);
        double sum = 0;
        for (var k = 0; k < playlist.Count; k++)
            sum += Score(profile.Weights, predicted[k], StepTarget(profile, history, k), playlist[k], playlist.Take(k).ToArray(), plays);
        return playlist.Count == 0 ? 0 : sum / playlist.Count;
    }
}
