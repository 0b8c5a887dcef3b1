using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Amrs.Engine.Training;

/// <summary>Copies a tensor's values out to .NET: the one way the engine reads predictions back.</summary>
internal static class TensorData
{
    /// <summary>
    /// The values of a float tensor in row-major order, copied as one block. <c>data&lt;float&gt;().ToArray()</c>
    /// reads element by element: 2.3 ms against 0.1 ms for the 350,000 raw predictions of 10,000 scored candidates.
    /// </summary>
    public static float[] ToFloatArray(this Tensor tensor)
    {
        if (tensor.dtype != ScalarType.Float32)
            throw new ArgumentException($"Expected a float32 tensor, got {tensor.dtype}.", nameof(tensor));
        using var dense = tensor.contiguous();
        return MemoryMarshal.Cast<byte, float>(dense.bytes).ToArray();
    }
}
