using Amrs.Core.Catalog;
using Amrs.Core.Sessions;
using Amrs.Engine.Episodes;
using Amrs.Simulation.Generation;
using Amrs.Simulation.Truth;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>
/// What the world model is compared with, each giving the expected value of all four signals for every held-out
/// step ([step][signal], rating as a probability): the oracle (the simulator's noise-free expectation for the
/// real patient: the ceiling), the population oracle (the same without knowing the patient), the truth's equations
/// with the patient's traits estimated from their history (<see cref="HistoryInformedListener"/>: what the history
/// reveals to a predictor that knows the equations), the same equations averaged over the posterior of the traits
/// (<see cref="PosteriorListener"/>: close to the best any predictor of the same history can do), and three baselines learned from the logs: the global mean, the
/// per-track mean and the patient's own earlier mean.
/// </summary>
public static class ReferencePredictors
{
    public const string Model = "world model";
    public const string Oracle = "oracle";
    public const string Population = "population oracle";
    public const string HistoryInformed = "truth's equations, traits from history";
    public const string Posterior = "truth's equations, posterior over traits";
    public const string GlobalMean = "global mean";
    public const string TrackMean = "per-track mean";
    public const string PatientMean = "per-patient mean";

    /// <summary>Every predictor in report order, with the short name its column has in a predictions export.</summary>
    public static IReadOnlyList<(string Name, string Column)> All { get; } =
    [
        (Model, "world_model"), (Oracle, "oracle"), (Population, "population_oracle"), (HistoryInformed, "traits_from_history"),
        (Posterior, "posterior"), (GlobalMean, "global_mean"), (TrackMean, "track_mean"), (PatientMean, "patient_mean"),
    ];

    public static double[][] FromOracle(GeneratedWorld world, IReadOnlyList<HeldOutStep> steps) =>
        Replay(steps, step => world.Listener(step.Patient.PatientId), (listener, _) => listener.BeginSession());

    public static double[][] FromPopulationOracle(GeneratedWorld world, IReadOnlyList<HeldOutStep> steps)
    {
        var oracle = world.PopulationOracle();
        return Replay(steps, _ => oracle.NewListener(), (listener, session) => listener.BeginSession(session.Mode));
    }

    /// <summary>Each patient replayed through a <see cref="HistoryInformedListener"/> that learns from every observed step.</summary>
    public static double[][] FromHistoryInformed(GeneratedWorld world, IReadOnlyList<HeldOutStep> steps)
    {
        var newListener = HistoryInformedListener.Factory(world.Config);
        return Replay(steps, step => newListener(step.Patient), (listener, _) => listener.BeginSession(),
            (listener, track) => listener.Expected(track), (listener, step) => listener.Observe(step.Track, step.Step));
    }

    /// <summary>
    /// Each patient replayed through a <see cref="PosteriorListener"/> (the Bayesian reference: the truth's equations
    /// averaged over the posterior of the patient's traits given their record and history); patients in parallel, each
    /// with its own seed stream, so the result does not depend on the thread count.
    /// </summary>
    public static double[][] FromPosterior(GeneratedWorld world, IReadOnlyList<HeldOutStep> steps, PosteriorOptions? options = null)
    {
        var newListener = PosteriorListener.Factory(world.Simulator, options);
        var result = new double[steps.Count][];
        var patients = steps.Select((step, index) => (step, index)).GroupBy(x => x.step.Patient.PatientId, StringComparer.Ordinal).ToArray();
        Parallel.ForEach(patients, patient =>
        {
            var mine = patient.ToArray();
            var predictions = Replay(mine.Select(x => x.step).ToArray(), step => newListener(step.Patient), (listener, _) => listener.BeginSession(),
                (listener, track) => listener.Expected(track), (listener, step) => listener.Observe(step.Track, step.Step));
            for (var i = 0; i < mine.Length; i++)
                result[mine[i].index] = predictions[i];
        });
        return result;
    }

    /// <summary>The mean of each signal over all training observations.</summary>
    public static double[][] FromGlobalMean(IEnumerable<LoggedSession> training, IReadOnlyList<HeldOutStep> steps)
    {
        var mean = Means(training.SelectMany(s => s.Steps));
        return steps.Select(_ => mean).ToArray();
    }

    /// <summary>The mean of each signal over the training observations of the same track (global mean if none).</summary>
    public static double[][] FromTrackMean(IEnumerable<LoggedSession> training, IReadOnlyList<HeldOutStep> steps)
    {
        var trainingSteps = training.SelectMany(s => s.Steps).ToArray();
        var global = Means(trainingSteps);
        var byTrack = trainingSteps.GroupBy(s => s.TrackId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Means(g, global), StringComparer.Ordinal);
        return steps.Select(s => byTrack.GetValueOrDefault(s.Track.TrackId, global)).ToArray();
    }

    /// <summary>
    /// The mean of each signal over the patient's own earlier observations (steps before this one, earlier
    /// sessions included); the global training mean while the patient has none.
    /// </summary>
    public static double[][] FromPatientMean(IEnumerable<LoggedSession> training, IReadOnlyList<HeldOutStep> steps)
    {
        var global = Means(training.SelectMany(s => s.Steps));
        var result = new double[steps.Count][];
        var sums = new double[Signals.Count];
        var counts = new int[Signals.Count];
        string? patient = null;
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Patient.PatientId != patient)
            {
                patient = steps[i].Patient.PatientId;
                Array.Clear(sums);
                Array.Clear(counts);
            }
            result[i] = Enumerable.Range(0, Signals.Count).Select(k => counts[k] > 0 ? sums[k] / counts[k] : global[k]).ToArray();
            foreach (var (signal, value) in HeldOutSteps.Observed(steps[i].Step))
            {
                sums[signal] += value;
                counts[signal]++;
            }
        }
        return result;
    }

    /// <summary>A listener model that plays each step as the truth does (it learns nothing from what was observed).</summary>
    private static double[][] Replay<T>(IReadOnlyList<HeldOutStep> steps, Func<HeldOutStep, T> newListener, Action<T, LoggedSession> beginSession)
        where T : IListenerModel =>
        Replay(steps, newListener, beginSession, (listener, track) => listener.Expected(track), (listener, step) => listener.Advance(step.Track));

    private static double[][] Replay<T>(IReadOnlyList<HeldOutStep> steps, Func<HeldOutStep, T> newListener, Action<T, LoggedSession> beginSession,
        Func<T, Track, ExpectedResponse> expected, Action<T, HeldOutStep> play) =>
        Replay(steps, newListener, beginSession, (listener, step) =>
        {
            var prediction = expected(listener, step.Track);
            return new[] { prediction.Engagement, prediction.RatingProbability, prediction.Valence, prediction.Arousal };
        }, play);

    /// <summary>
    /// Each patient's steps in order through a fresh listener per patient: a new session begins it, each step is
    /// read (<paramref name="read"/>: a prediction, or the truth's hidden state) before it is played, then
    /// <paramref name="play"/> moves the listener on.
    /// </summary>
    internal static TRow[] Replay<T, TRow>(IReadOnlyList<HeldOutStep> steps, Func<HeldOutStep, T> newListener, Action<T, LoggedSession> beginSession,
        Func<T, HeldOutStep, TRow> read, Action<T, HeldOutStep> play)
    {
        var result = new TRow[steps.Count];
        T? listener = default;
        string? patient = null;
        LoggedSession? session = null;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Patient.PatientId != patient)
            {
                patient = step.Patient.PatientId;
                listener = newListener(step);
                session = null;
            }
            if (!ReferenceEquals(step.Session, session))
            {
                session = step.Session;
                beginSession(listener!, session);
            }
            result[i] = read(listener!, step);
            play(listener!, step);
        }
        return result;
    }

    private static double[] Means(IEnumerable<LoggedStep> steps, double[]? fallback = null)
    {
        var sums = new double[Signals.Count];
        var counts = new int[Signals.Count];
        foreach (var step in steps)
        {
            foreach (var (signal, value) in HeldOutSteps.Observed(step))
            {
                sums[signal] += value;
                counts[signal]++;
            }
        }
        return Enumerable.Range(0, Signals.Count)
            .Select(k => counts[k] > 0 ? sums[k] / counts[k] : fallback?[k] ?? 0.5)
            .ToArray();
    }
}
