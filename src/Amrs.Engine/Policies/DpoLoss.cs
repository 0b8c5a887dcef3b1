using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// Direct Preference Optimization (Rafailov et al. 2023): for log-probabilities of the chosen and rejected
/// sides under the policy and the frozen reference,
/// loss = -mean log sigmoid(beta ((log pi(c) - log ref(c)) - (log pi(r) - log ref(r)))).
/// </summary>
public static class DpoLoss
{
    public static Tensor Compute(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, double beta)
    {
        using var scope = torch.NewDisposeScope();
        // add with a cached alpha of -1: the operators pass temporary Scalars the GC can finalise mid-call.
        var minus = Training.Scalars.Of(-1);
        var margin = policyChosen.add(referenceChosen, minus).add(policyRejected.add(referenceRejected, minus), minus);
        using var scale = beta.ToScalar();
        return (-nn.functional.logsigmoid(margin * scale).mean()).MoveToOuterDisposeScope();
    }

    /// <summary>The same on plain numbers, for reports and checks.</summary>
    public static double Compute(double policyChosen, double policyRejected, double referenceChosen, double referenceRejected, double beta)
    {
        var z = beta * ((policyChosen - referenceChosen) - (policyRejected - referenceRejected));
        // -log sigmoid(z) = log(1 + exp(-z)), written to stay finite for large |z|.
        return z >= 0 ? Math.Log(1 + Math.Exp(-z)) : -z + Math.Log(1 + Math.Exp(z));
    }
}
