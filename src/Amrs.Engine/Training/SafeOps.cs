using static TorchSharp.torch;

namespace Amrs.Engine.Training;

/// <summary>
/// Tensor sums and differences without a temporary Scalar. TorchSharp's <c>a + b</c> is <c>a.add(b, 1)</c>: the
/// 1 becomes a native Scalar that no one references while the call runs, so the collector may finalise it
/// mid-call (a training run failed in Scalar::toFloat inside a head's sum). A cached alpha stays alive.
/// </summary>
internal static class SafeOps
{
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.Of(1));

    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, Scalars.Of(-1));
}
