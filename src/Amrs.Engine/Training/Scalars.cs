using System.Collections.Concurrent;
using TorchSharp;

namespace Amrs.Engine.Training;

/// <summary>
/// Long-lived torch Scalars for constants. A double passed where torch wants a Scalar becomes a temporary
/// native Scalar that no dispose scope tracks; the garbage collector may finalise it while the native call
/// that uses it is still running. That race crashed a training run here (AdamW.step failed in
/// Scalar::toFloat after about 1,500 steps). Cached Scalars stay reachable for the life of the process.
/// Only for a small set of constants: every distinct value is kept forever.
/// </summary>
internal static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Cache = new();

    public static Scalar Of(double value) => Cache.GetOrAdd(value, v => v.ToScalar());
}
