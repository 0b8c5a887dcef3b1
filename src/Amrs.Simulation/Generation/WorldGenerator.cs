using Amrs.Core.Sessions;
using Amrs.Simulation.Catalog;
using Amrs.Simulation.Cohort;
using Amrs.Simulation.Logging;
using Amrs.Simulation.Truth;

namespace Amrs.Simulation.Generation;

/// <summary>Progress of world generation: a stage name and how much of it is done.</summary>
public readonly record struct WorldProgress(string Stage, int Completed, int Total);

/// <summary>
/// Makes a whole world in one call: catalog, cohort, then each consenting patient's logged sessions, chosen
/// by the <see cref="LoggingPolicy"/> and answered by the <see cref="ResponseSimulator"/>. Every patient's
/// sessions come from their own seed stream, so the world is the same on every run for the same configuration.
/// </summary>
public static class WorldGenerator
{
    public static GeneratedWorld Generate(WorldConfig config, IProgress<WorldProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        config.Validate();
        progress?.Report(new WorldProgress("catalog", 0, 1));
        var catalog = CatalogGenerator.Generate(config);
        progress?.Report(new WorldProgress("catalog", 1, 1));

        progress?.Report(new WorldProgress("cohort", 0, 1));
        var cohort = CohortGenerator.Generate(config);
        progress?.Report(new WorldProgress("cohort", 1, 1));

        var simulator = new ResponseSimulator(config);
        var policy = new LoggingPolicy(catalog, config.LoggingTemperature);
        var sessions = new List<LoggedSession>(config.PatientCount * (config.MinSessionsPerPatient + config.MaxSessionsPerPatient) / 2);
        var reportEvery = Math.Max(1, cohort.Count / 100);
        for (var i = 0; i < cohort.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (patient, traits) = cohort[i];
            if (patient.Consent)
                sessions.AddRange(LogPatient(config, simulator, policy, new SimulatedPatient(patient, traits), i));
            if ((i + 1) % reportEvery == 0 || i + 1 == cohort.Count)
                progress?.Report(new WorldProgress("sessions", i + 1, cohort.Count));
        }
        return new GeneratedWorld(config, catalog, cohort, sessions);
    }

    private static IEnumerable<LoggedSession> LogPatient(
        WorldConfig config, ResponseSimulator simulator, LoggingPolicy policy, SimulatedPatient patient, int index)
    {
        var rng = SimMath.Rng(config.Seed, "sessions", index);
        var listener = new SimulatedListener(simulator, patient.Traits);
        foreach (var plan in SessionPlanner.Plan(config, patient.Patient, index, rng))
        {
            listener.BeginSession();
            var choices = policy.Begin(patient.Patient, plan.Mode, plan.Target);
            var steps = new List<LoggedStep>(plan.TrackCount);
            for (var position = 0; position < plan.TrackCount; position++)
            {
                if (choices.Choose(rng) is not { } choice)
                    break;
                var observed = listener.Play(choice.Track, rng);
                steps.Add(new LoggedStep(position, choice.Track.TrackId, observed.Engagement, observed.Rating,
                    observed.Valence, observed.Arousal, choice.Propensity));
            }
            if (steps.Count > 0)
                yield return new LoggedSession(plan.SessionId, patient.Patient.PatientId, plan.StartedAt, plan.Mode, plan.Target, steps);
        }
    }
}
