using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;

namespace Amrs.Simulation.Logging;

/// <summary>A choice of the logging policy and the probability it had (its propensity).</summary>
public readonly record struct PolicyChoice(Track Track, double Propensity);

/// <summary>
/// The clinician heuristic that produced the logged history. It sees only what staff know (the patient record,
/// the mode and its target), never the hidden traits. Each track gets a score
/// <code>
/// score_j = 1.0 [genre_j in preferred genres] + 0.8 exp(-((year_j - era) / 12)^2 / 2) - 3 |x_j - target|
/// </code>
/// (era = preferred decade + 5, else birth year + 20) and is drawn by softmax, P(j) ~ exp(score_j / T), with
/// temperature T = <see cref="WorldConfig.LoggingTemperature"/> (0.25 by default), over the eligible tracks:
/// genre not excluded, arousal at most min(patient max arousal, <see cref="ModeTargets.MaxTrackArousal"/>),
/// not yet played in the session. <see cref="Uniform"/> is the random baseline: the same rules, equal weights.
/// </summary>
public sealed class LoggingPolicy
{
    private readonly IReadOnlyList<Track> _catalog;
    private readonly double _temperature;
    private readonly bool _uniform;

    public LoggingPolicy(IReadOnlyList<Track> catalog, double temperature)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        _catalog = catalog;
        _temperature = temperature;
    }

    private LoggingPolicy(IReadOnlyList<Track> catalog)
    {
        _catalog = catalog;
        _temperature = 1;
        _uniform = true;
    }

    /// <summary>Picks uniformly among the eligible tracks (the same safety rules; no preferences).</summary>
    public static LoggingPolicy Uniform(IReadOnlyList<Track> catalog) => new(catalog);

    public static double Score(Patient patient, AffectPoint target, Track track)
    {
        var score = 0.0;
        if (track.Genre is not null && patient.PreferredGenres.Contains(track.Genre))
            score += 1.0;
        if (track.Year is { } year)
        {
            var era = patient.PreferredEra is { } decade ? decade + 5 : patient.BirthYear + 20;
            var z = (year - era) / 12.0;
            score += 0.8 * Math.Exp(-0.5 * z * z);
        }
        score -= 3.0 * new AffectPoint(track.Valence, track.Arousal).DistanceTo(target);
        return score;
    }

    public static bool IsEligible(Patient patient, SessionMode mode, Track track)
    {
        var maxArousal = Math.Min(patient.MaxArousal ?? 1.0, ModeTargets.MaxTrackArousal(mode));
        if (track.Arousal > maxArousal)
            return false;
        return track.Genre is null || !patient.ExcludedGenres.Contains(track.Genre);
    }

    public PolicySession Begin(Patient patient, SessionMode mode, AffectPoint target)
    {
        var weights = new double[_catalog.Count];
        var scores = new double[_catalog.Count];
        var max = double.NegativeInfinity;
        for (var j = 0; j < scores.Length; j++)
        {
            var track = _catalog[j];
            if (!IsEligible(patient, mode, track))
            {
                scores[j] = double.NegativeInfinity;
                continue;
            }
            scores[j] = _uniform ? 0 : Score(patient, target, track);
            max = Math.Max(max, scores[j]);
        }
        for (var j = 0; j < scores.Length; j++)
            weights[j] = double.IsNegativeInfinity(scores[j]) ? 0 : Math.Exp((scores[j] - max) / _temperature);
        return new PolicySession(_catalog, weights);
    }
}

/// <summary>The policy within one session: draws without replacement and reports each draw's probability.</summary>
public sealed class PolicySession
{
    private readonly IReadOnlyList<Track> _catalog;
    private readonly double[] _weights;
    private double _total;

    internal PolicySession(IReadOnlyList<Track> catalog, double[] weights)
    {
        _catalog = catalog;
        _weights = weights;
        _total = weights.Sum();
    }

    /// <summary>Draws the next track, or null when nothing eligible is left.</summary>
    public PolicyChoice? Choose(Random rng)
    {
        if (_total <= 0)
            return null;
        var r = rng.NextDouble() * _total;
        var chosen = -1;
        for (var j = 0; j < _weights.Length; j++)
        {
            if (_weights[j] == 0)
                continue;
            chosen = j;
            r -= _weights[j];
            if (r < 0)
                break;
        }
        var propensity = _weights[chosen] / _total;
        _weights[chosen] = 0;
        // Recompute rather than subtract so rounding never accumulates over a session.
        _total = _weights.Sum();
        return new PolicyChoice(_catalog[chosen], propensity);
    }
}
