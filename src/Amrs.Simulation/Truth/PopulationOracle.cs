using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Simulation.Cohort;
using Amrs.Simulation.Logging;

namespace Amrs.Simulation.Truth;

/// <summary>
/// The best prediction possible without knowing who the patient is: the truth's expectation averaged over
/// patients drawn from the cohort prior. It knows the tracks played (this session and earlier ones) and the
/// session's mode, not the patient. The mode tells it the care setting only in probability:
/// E = w(mode) mean_clinical-draws + (1 - w(mode)) mean_consumer-draws, with w(mode) = P(clinical | mode) from
/// the session planner's mode mix. Deterministic: the draws come from their own seed stream.
/// </summary>
public sealed class PopulationOracle
{
    private readonly ResponseSimulator _simulator;
    private readonly IReadOnlyList<PatientTraits> _clinical;
    private readonly IReadOnlyList<PatientTraits> _consumer;

    public PopulationOracle(ResponseSimulator simulator)
    {
        _simulator = simulator;
        var config = simulator.Config;
        _clinical = CohortGenerator.DrawPopulation(config, CareSetting.Clinical, config.PopulationOracleDraws);
        _consumer = CohortGenerator.DrawPopulation(config, CareSetting.Consumer, config.PopulationOracleDraws);
    }

    /// <summary>A fresh anonymous listener (no history yet).</summary>
    public PopulationListener NewListener() => new(
        _clinical.Select(t => new SimulatedListener(_simulator, t)).ToArray(),
        _consumer.Select(t => new SimulatedListener(_simulator, t)).ToArray(),
        _simulator.Config.ClinicalShare);
}

/// <summary>The population oracle's view of one (unknown) listener: every trait draw replays the same history.</summary>
public sealed class PopulationListener : IListenerModel
{
    private readonly SimulatedListener[] _clinical;
    private readonly SimulatedListener[] _consumer;
    private readonly double _clinicalShare;
    private double _clinicalWeight;

    internal PopulationListener(SimulatedListener[] clinical, SimulatedListener[] consumer, double clinicalShare)
    {
        _clinical = clinical;
        _consumer = consumer;
        _clinicalShare = clinicalShare;
        _clinicalWeight = clinicalShare;
    }

    public int Position { get; private set; }

    public AffectPoint Affect => Mix(l => l.Affect.Valence, l => l.Affect.Arousal);

    /// <summary>Starts a session of the given mode (the one thing the oracle knows about the session).</summary>
    public void BeginSession(SessionMode mode)
    {
        _clinicalWeight = SessionPlanner.ProbabilityClinical(mode, _clinicalShare);
        BeginSession();
    }

    public void BeginSession()
    {
        foreach (var l in _clinical)
            l.BeginSession();
        foreach (var l in _consumer)
            l.BeginSession();
        Position = 0;
    }

    public ExpectedResponse Expected(Track track)
    {
        var c = Mean(_clinical, track);
        var k = Mean(_consumer, track);
        var w = _clinicalWeight;
        return new ExpectedResponse(
            w * c.Engagement + (1 - w) * k.Engagement,
            w * c.RatingProbability + (1 - w) * k.RatingProbability,
            w * c.Valence + (1 - w) * k.Valence,
            w * c.Arousal + (1 - w) * k.Arousal);
    }

    public void Advance(Track track)
    {
        foreach (var l in _clinical)
            l.Advance(track);
        foreach (var l in _consumer)
            l.Advance(track);
        Position++;
    }

    private static ExpectedResponse Mean(SimulatedListener[] listeners, Track track)
    {
        double e = 0, r = 0, v = 0, a = 0;
        foreach (var l in listeners)
        {
            var x = l.Expected(track);
            e += x.Engagement;
            r += x.RatingProbability;
            v += x.Valence;
            a += x.Arousal;
        }
        var n = listeners.Length;
        return new ExpectedResponse(e / n, r / n, v / n, a / n);
    }

    private AffectPoint Mix(Func<SimulatedListener, double> valence, Func<SimulatedListener, double> arousal)
    {
        var w = _clinicalWeight;
        return new AffectPoint(
            w * _clinical.Average(valence) + (1 - w) * _consumer.Average(valence),
            w * _clinical.Average(arousal) + (1 - w) * _consumer.Average(arousal));
    }
}
