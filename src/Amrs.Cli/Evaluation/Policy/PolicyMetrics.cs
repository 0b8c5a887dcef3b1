using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Metrics;
using Amrs.Core.Utility;

namespace Amrs.Cli.Evaluation.Policy;

/// <summary>
/// The numbers of one policy over a set of sessions, from the truth or from the world model: target attainment
/// (Core's <see cref="TargetAttainment"/>), per-axis attainment 1 - mean |x - x*|, engagement, rating, the
/// paper's metric (mean 0.5 valence + 0.5 arousal) and, from the lists alone, diversity.
/// </summary>
public static class PolicyMetrics
{
    public static readonly string[] AffectMetrics =
        ["attainment", "valence_attainment", "arousal_attainment", "final_distance", "within_0_1", "engagement", "rating", "paper_metric"];

    public static readonly string[] DiversityNames = ["coverage", "entropy", "ild", "gini"];

    public static Dictionary<string, double> Affect(IReadOnlyList<SessionOutcome> sessions, bool truth)
    {
        var rows = sessions.Select(s =>
        {
            var steps = truth ? s.Truth : s.WorldModel;
            var attainment = TargetAttainment.Compute(steps.Select(x => x.Affect).ToArray(), s.Target);
            return new[]
            {
                attainment.Attainment,
                1 - steps.Average(x => Math.Abs(x.Valence - s.Target.Valence)),
                1 - steps.Average(x => Math.Abs(x.Arousal - s.Target.Arousal)),
                attainment.FinalDistance,
                attainment.ShareWithinTolerance,
                steps.Average(x => x.Engagement),
                steps.Average(x => x.LikeProbability),
                UtilityFunction.PaperMetric(steps),
            };
        }).ToArray();
        return AffectMetrics.Select((name, i) => (name, value: rows.Length == 0 ? double.NaN : rows.Average(r => r[i])))
            .ToDictionary(x => x.name, x => x.value);
    }

    public static Dictionary<string, double> Diversity(IReadOnlyList<SessionOutcome> sessions, IReadOnlyDictionary<string, Track> catalog)
    {
        var all = sessions.SelectMany(s => s.TrackIds).ToArray();
        var ild = sessions.Where(s => s.TrackIds.Count > 1)
            .Select(s => DiversityMetrics.IntraListDiversity(s.TrackIds.Select(id => catalog[id]).ToArray(), PlaylistNovelty.Distance))
            .DefaultIfEmpty(0).Average();
        return new Dictionary<string, double>
        {
            ["coverage"] = DiversityMetrics.CatalogCoverage(all, catalog.Count),
            ["entropy"] = DiversityMetrics.NormalisedEntropy(all, catalog.Count),
            ["ild"] = ild,
            ["gini"] = DiversityMetrics.Gini(all, catalog.Count),
        };
    }

    /// <summary>Every metric of one policy for one split: overall and per mode, truth and world model, diversity.</summary>
    public static Dictionary<string, double> ForSplit(IReadOnlyList<SessionOutcome> sessions, IReadOnlyDictionary<string, Track> catalog)
    {
        var result = new Dictionary<string, double>();
        void Add(string prefix, IReadOnlyList<SessionOutcome> part)
        {
            foreach (var (k, v) in Affect(part, truth: true)) result[$"{prefix}truth.{k}"] = v;
            foreach (var (k, v) in Affect(part, truth: false)) result[$"{prefix}wm.{k}"] = v;
            result[$"{prefix}gap.attainment"] = result[$"{prefix}wm.attainment"] - result[$"{prefix}truth.attainment"];
        }
        Add("", sessions);
        foreach (var (k, v) in Diversity(sessions, catalog)) result[$"diversity.{k}"] = v;
        foreach (var mode in PolicyBenchmark.Modes)
        {
            var part = sessions.Where(s => s.Mode == mode).ToArray();
            if (part.Length > 0) Add($"{mode.ToString().ToLowerInvariant()}.", part);
        }
        return result;
    }
}
