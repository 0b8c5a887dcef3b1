using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter) with every Scalar argument held alive until the native call returns,
/// unlike TorchSharp 0.107's optim.AdamW, which passes temporaries (see <see cref="Scalars"/>). Also the
/// global-norm gradient clip, for the same reason. Decoupled weight decay, bias-corrected moments.
/// </summary>
public sealed class SafeAdamW : IDisposable
{
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private readonly double _weightDecay;
    private long _step;

    public SafeAdamW(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double weightDecay = 0,
        double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _parameters = parameters.ToArray();
        LearningRate = learningRate;
        _weightDecay = weightDecay;
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        using var noGrad = torch.no_grad();
        _firstMoments = _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoments = _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The step size; a schedule may change it between steps.</summary>
    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>Scales all gradients so their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before.</summary>
    public double ClipGradientNorm(double maxNorm)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var grads = _parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToArray();
        if (grads.Length == 0) return 0;
        // g * g, not g.square(): square() passes a temporary Scalar exponent (2) that the collector can finalise
        // mid-call; it crashed a training run here in pow_Tensor_Scalar ("INTERNAL ASSERT FAILED ... Scalar.h").
        var total = Math.Sqrt(grads.Sum(g => (g * g).sum().item<float>()));
        if (total > maxNorm)
        {
            using var factor = (maxNorm / (total + 1e-6)).ToScalar();
            foreach (var g in grads) g.mul_(factor);
        }
        return total;
    }

    public void Step()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _step++;
        var correction1 = 1 - Math.Pow(_beta1, _step);
        var correction2 = 1 - Math.Pow(_beta2, _step);
        using var decay = (1 - LearningRate * _weightDecay).ToScalar();
        using var beta1 = _beta1.ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var inverseRootCorrection2 = (1 / Math.Sqrt(correction2)).ToScalar();
        using var eps = _eps.ToScalar();
        using var stepSize = (-LearningRate / correction1).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            _parameters[i].mul_(decay);
            _firstMoments[i].mul_(beta1).add_(grad, oneMinusBeta1);
            _secondMoments[i].mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            // add_(Scalar) alone passes a hidden temporary alpha Scalar that the garbage collector may finalise during the call.
            var denominator = _secondMoments[i].sqrt().mul_(inverseRootCorrection2).add_(eps, Scalars.Of(1));
            _parameters[i].addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in _firstMoments.Concat(_secondMoments)) t.Dispose();
    }
}
