using Amrs.Core.Affect;
using Amrs.Core.Metrics;
using Amrs.Simulation.Logging;
using Amrs.Simulation.Generation;

namespace Amrs.Simulation.Calibration;

/// <summary>How a policy does on the truth: mean target attainment, final distance and expected engagement.</summary>
public sealed record PolicyScore(int Sessions, double Attainment, double FinalDistance, double ShareWithinTolerance, double Engagement);

/// <summary>
/// Runs a policy on the ground truth (noise-free expectations, no observation noise): every consenting patient
/// gets freshly planned sessions from <paramref name="seed"/>; the plans (modes, targets, lengths) are the same
/// for every policy given the same seed, so scores compare like with like.
/// </summary>
public static class PolicyEvaluation
{
    public static PolicyScore Run(GeneratedWorld world, LoggingPolicy policy, int seed, int maxPatients = int.MaxValue)
    {
        double attainment = 0, final = 0, within = 0, engagement = 0;
        var sessions = 0;
        var steps = 0;
        var affectAfter = new List<AffectPoint>();
        for (var i = 0; i < world.Patients.Count && i < maxPatients; i++)
        {
            var patient = world.Patients[i];
            if (!patient.Consent)
                continue;
            var planRng = SimMath.Rng(seed, "eval-plan", i);
            var choiceRng = SimMath.Rng(seed, "eval-choice", i);
            var listener = world.Listener(patient.PatientId);
            foreach (var plan in SessionPlanner.Plan(world.Config, patient, i, planRng))
            {
                listener.BeginSession();
                var choices = policy.Begin(patient, plan.Mode, plan.Target);
                affectAfter.Clear();
                for (var k = 0; k < plan.TrackCount && choices.Choose(choiceRng) is { } choice; k++)
                {
                    engagement += listener.Expected(choice.Track).Engagement;
                    steps++;
                    listener.Advance(choice.Track);
                    affectAfter.Add(listener.Affect);
                }
                if (affectAfter.Count == 0)
                    continue;
                var score = TargetAttainment.Compute(affectAfter.ToArray(), plan.Target);
                attainment += score.Attainment;
                final += score.FinalDistance;
                within += score.ShareWithinTolerance;
                sessions++;
            }
        }
        return new PolicyScore(sessions, attainment / sessions, final / sessions, within / sessions, engagement / steps);
    }
}
