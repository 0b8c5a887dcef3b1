using Amrs.Core.Affect;
using Amrs.Core.Patients;

namespace Amrs.Simulation.Logging;

/// <summary>A session as planned before the first track: when, which mode, which target, how long.</summary>
public sealed record SessionPlan(string SessionId, DateTimeOffset StartedAt, SessionMode Mode, AffectPoint Target, int TrackCount);

/// <summary>
/// Plans a patient's sessions. Clinical patients get mostly clinical sessions (85 %, with a clinician-set
/// target near <see cref="ModeTargets.DefaultTarget"/>, varied per session) and some calm or sleep sessions;
/// consumers get the four consumer modes with their fixed targets.
/// </summary>
public static class SessionPlanner
{
    private static readonly (SessionMode Mode, double Share)[] _clinicalMix =
        [(SessionMode.Clinical, 0.85), (SessionMode.Calm, 0.10), (SessionMode.Sleep, 0.05)];

    private static readonly (SessionMode Mode, double Share)[] _consumerMix =
        [(SessionMode.Energize, 0.30), (SessionMode.Focus, 0.30), (SessionMode.Calm, 0.25), (SessionMode.Sleep, 0.15)];

    /// <summary>Standard deviation of a clinician's target around the clinical default, per axis.</summary>
    public const double ClinicalTargetSd = 0.07;

    public static IReadOnlyList<SessionPlan> Plan(WorldConfig config, Patient patient, int patientIndex, Random rng)
    {
        var count = rng.Next(config.MinSessionsPerPatient, config.MaxSessionsPerPatient + 1);
        var plans = new SessionPlan[count];
        var day = config.LoggingStart.AddDays(rng.Next(0, 60));
        var mix = patient.CareSetting == CareSetting.Clinical ? _clinicalMix : _consumerMix;
        for (var k = 0; k < count; k++)
        {
            day = day.AddDays(rng.Next(1, 7));
            var startedAt = day.AddHours(rng.Next(9, 20)).AddMinutes(5 * rng.Next(0, 12));
            var mode = PickMode(rng, mix);
            var target = ModeTargets.DefaultTarget(mode);
            if (ModeTargets.HasClinicianTarget(mode))
            {
                target = new AffectPoint(
                    Math.Round(Math.Clamp(rng.Gaussian(target.Valence, ClinicalTargetSd), 0.05, 0.95), 2),
                    Math.Round(Math.Clamp(rng.Gaussian(target.Arousal, ClinicalTargetSd), 0.05, 0.95), 2));
            }
            var tracks = rng.Next(config.MinTracksPerSession, config.MaxTracksPerSession + 1);
            plans[k] = new SessionPlan($"S-{patientIndex + 1:D6}-{k + 1:D2}", startedAt, mode, target, tracks);
        }
        return plans;
    }

    /// <summary>P(clinical patient | session mode), from the two mode mixes and the clinical share.</summary>
    public static double ProbabilityClinical(SessionMode mode, double clinicalShare)
    {
        var clinical = clinicalShare * ShareOf(_clinicalMix, mode);
        var consumer = (1 - clinicalShare) * ShareOf(_consumerMix, mode);
        return clinical + consumer == 0 ? clinicalShare : clinical / (clinical + consumer);
    }

    private static double ShareOf((SessionMode Mode, double Share)[] mix, SessionMode mode) =>
        mix.Where(m => m.Mode == mode).Sum(m => m.Share);

    private static SessionMode PickMode(Random rng, (SessionMode Mode, double Share)[] mix)
    {
        Span<double> weights = stackalloc double[mix.Length];
        for (var i = 0; i < mix.Length; i++)
            weights[i] = mix[i].Share;
        return mix[rng.PickWeighted(weights)].Mode;
    }
}
