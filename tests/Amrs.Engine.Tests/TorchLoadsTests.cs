using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Tests;

/// <summary>
/// Fails loudly if libtorch cannot load (for example if the Debian 12 build patch regresses), so that a
/// broken engine never looks like a skipped test.
/// </summary>
public sealed class TorchLoadsTests
{
    [Fact]
    public void Torch_loads_and_runs_a_forward_and_backward_pass()
    {
        torch.manual_seed(1);
        using var linear = nn.Linear(4, 1);
        using var input = torch.ones(8, 4);
        using var target = torch.zeros(8, 1);

        using var output = linear.call(input);
        using var loss = nn.functional.mse_loss(output, target);
        loss.backward();

        Assert.Equal(new long[] { 8, 1 }, output.shape);
        var weightGrad = linear.weight!.grad;
        Assert.NotNull(weightGrad);
        Assert.True(weightGrad.abs().sum().item<float>() > 0, "the backward pass produced no gradient");
    }
}
