using Amrs.Engine.Policies;
using TorchSharp;

namespace Amrs.Engine.Tests.Policies;

public sealed class DpoLossTests
{
    [Fact]
    public void The_loss_equals_the_hand_computed_value_on_two_pairs()
    {
        // Pair 1: margin = (-1 - -1.5) - (-2 - -1.5) = 1, beta 0.5 -> -log sigmoid(0.5) = log(1 + e^-0.5) = 0.474077.
        // Pair 2: margin = (-3 - -2) - (-1 - -2) = -2, beta 0.5 -> -log sigmoid(-1) = log(1 + e^1) = 1.313262.
        using var policyChosen = torch.tensor(new[] { -1.0f, -3.0f });
        using var policyRejected = torch.tensor(new[] { -2.0f, -1.0f });
        using var referenceChosen = torch.tensor(new[] { -1.5f, -2.0f });
        using var referenceRejected = torch.tensor(new[] { -1.5f, -2.0f });

        using var loss = DpoLoss.Compute(policyChosen, policyRejected, referenceChosen, referenceRejected, beta: 0.5);

        Assert.Equal((0.474077 + 1.313262) / 2, loss.item<float>(), 5);
        Assert.Equal(0.474077, DpoLoss.Compute(-1, -2, -1.5, -1.5, 0.5), 5);
        Assert.Equal(1.313262, DpoLoss.Compute(-3, -1, -2, -2, 0.5), 5);
        // At the reference (no margin) the loss is log 2, whatever beta.
        Assert.Equal(Math.Log(2), DpoLoss.Compute(-4, -7, -4, -7, 3), 10);
    }

    [Fact]
    public void The_gradient_raises_the_chosen_side_and_lowers_the_rejected_side()
    {
        using var chosen = torch.tensor(new[] { -1.0f }, requires_grad: true);
        using var rejected = torch.tensor(new[] { -1.0f }, requires_grad: true);
        using var reference = torch.tensor(new[] { -1.0f });

        using var loss = DpoLoss.Compute(chosen, rejected, reference, reference, beta: 0.1);
        loss.backward();

        // d/dc = -beta sigmoid(-0) = -0.05, d/dr = +0.05.
        Assert.Equal(-0.05, chosen.grad!.item<float>(), 5);
        Assert.Equal(0.05, rejected.grad!.item<float>(), 5);
    }
}
