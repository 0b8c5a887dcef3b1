using Amrs.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Tests.Training;

public sealed class SafeAdamWTests
{
    [Fact]
    public void Matches_torch_AdamW_step_for_step_and_clips_to_the_given_norm()
    {
        torch.manual_seed(8);
        using var ours = nn.Linear(5, 3);
        using var theirs = nn.Linear(5, 3);
        using (torch.no_grad())
        {
            theirs.weight!.copy_(ours.weight!);
            theirs.bias!.copy_(ours.bias!);
        }
        using var input = torch.randn(16, 5);
        using var target = torch.randn(16, 3);
        using var safe = new SafeAdamW(ours.parameters(), 0.01, weightDecay: 0.1);
        using var reference = torch.optim.AdamW(theirs.parameters(), 0.01, beta1: 0.9, beta2: 0.999, weight_decay: 0.1);

        for (var step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            safe.ZeroGrad();
            nn.functional.mse_loss(ours.call(input), target).backward();
            safe.Step();
            reference.zero_grad();
            nn.functional.mse_loss(theirs.call(input), target).backward();
            reference.step();
        }

        Assert.True(torch.allclose(ours.weight!, theirs.weight!, rtol: 1e-5, atol: 1e-6));
        Assert.True(torch.allclose(ours.bias!, theirs.bias!, rtol: 1e-5, atol: 1e-6));

        using var scope2 = torch.NewDisposeScope();
        safe.ZeroGrad();
        (nn.functional.mse_loss(ours.call(input), target) * 1000).backward();
        var before = safe.ClipGradientNorm(0.5);
        var after = Math.Sqrt(ours.parameters().Sum(p => p.grad!.square().sum().item<float>()));
        Assert.True(before > 0.5);
        Assert.Equal(0.5, after, 3);
    }
}
