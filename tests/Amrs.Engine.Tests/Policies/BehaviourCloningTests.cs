using Amrs.Core.Affect;
using Amrs.Core.Utility;
using Amrs.Engine.Policies;
using TorchSharp;

namespace Amrs.Engine.Tests.Policies;

public sealed class BehaviourCloningTests
{
    [Fact]
    public void Cloning_recovers_the_known_logging_policy_of_the_toy_world_for_unseen_patients()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        using var catalog = new PolicyCatalog(result.Policy, world.Catalog);
        using var untrained = TinyPolicies.Untrained(data);
        using var untrainedCatalog = new PolicyCatalog(untrained, world.Catalog);
        double cloned = 0, baseline = 0;
        var cases = 0;
        foreach (var history in data.Histories.Validation)
        {
            var patient = data.Patients[history.PatientId];
            foreach (var mode in Enum.GetValues<SessionMode>())
            {
                var truth = world.LoggingProbabilities(patient, mode, new HashSet<string>());
                cloned += TotalVariation(truth, Distribution(catalog, history, patient, mode));
                baseline += TotalVariation(truth, Distribution(untrainedCatalog, history, patient, mode));
                cases++;
            }
        }
        cloned /= cases;
        baseline /= cases;
        Assert.True(cloned < 0.3, $"total variation to the logging policy {cloned:0.000} (untrained {baseline:0.000})");
        Assert.True(cloned < 0.5 * baseline, $"total variation to the logging policy {cloned:0.000} (untrained {baseline:0.000})");
    }

    [Fact]
    public void Validation_loss_falls_below_the_untrained_policy_and_the_logged_track_is_often_ranked_first()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        using var untrained = TinyPolicies.Untrained(data);
        using var catalog = new PolicyCatalog(untrained, world.Catalog);
        var windows = data.Histories.Validation.SelectMany(h => Amrs.Engine.Episodes.HistoryWindow.Cut(h, TinyPolicies.Options.MaxHistory)).ToArray();
        var (before, _) = new BehaviourCloningTrainer(TinyPolicies.Options, TinyPolicies.Cloning).Evaluate(untrained, catalog, data, windows);

        Assert.True(result.ValidationLoss < before - 0.3, $"validation loss {result.ValidationLoss:0.000}, untrained {before:0.000}");
        Assert.True(result.ValidationTopOneAccuracy > 0.1, $"top-1 {result.ValidationTopOneAccuracy:0.000}");
    }

    private static double[] Distribution(PolicyCatalog catalog, Amrs.Engine.Episodes.EncodedHistory history,
        Amrs.Core.Patients.Patient patient, SessionMode mode)
    {
        var profile = UtilityProfile.DefaultFor(mode);
        var allowed = new PlaylistProposer(catalog).AllowedMask(patient, profile);
        var sequence = PolicySequence.ForProposal(history, [], new(mode, profile.Target, true, 0), catalog.Policy.Options.MaxHistory);
        using var noGrad = torch.no_grad();
        using var logp = PolicyScoring.LogProbabilities(catalog.Policy.Network, [sequence],
            [new PolicyQuery(0, sequence.Tokens - 1, PolicyCondition.Encode(profile), allowed)], catalog.ServingKeys());
        return logp.exp().data<float>().Select(p => (double)p).ToArray();
    }

    private static double TotalVariation(double[] p, double[] q) => 0.5 * p.Zip(q, (a, b) => Math.Abs(a - b)).Sum();
}
