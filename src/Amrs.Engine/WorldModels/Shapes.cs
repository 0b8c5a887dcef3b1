using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>Shape arithmetic shared by the world model's lookups.</summary>
internal static class Shapes
{
    /// <summary>The leading dimensions (all but the last) that <paramref name="a"/> and <paramref name="b"/> broadcast to.</summary>
    public static long[] BroadcastLeading(Tensor a, Tensor b)
    {
        var rank = Math.Max(a.dim(), b.dim()) - 1;
        var shape = new long[rank];
        for (var k = 1; k <= rank; k++)
        {
            var fromA = k < a.dim() ? a.shape[^(k + 1)] : 1;
            var fromB = k < b.dim() ? b.shape[^(k + 1)] : 1;
            shape[rank - k] = Math.Max(fromA, fromB);
        }
        return shape;
    }
}
