using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// The training loss: engagement BCE (its spread by Gaussian NLL on a detached mean), rating BCE and
/// valence/arousal Gaussian NLL, each averaged over observed labels only. The Gaussian terms are beta-NLL
/// (each point's NLL weighted by its detached variance^beta, Seitzer et al. 2022): with plain NLL the
/// shrinking variances of easy points swamp every other gradient and the engagement and rating heads
/// stopped learning (measured on the test toy world). Unobserved labels are replaced
/// before any arithmetic, so their stored values (even NaN) can never reach the loss or its gradient.
/// </summary>
public static class WorldModelLoss
{
    /// <summary>Weight of the engagement spread term (the mean is learned by BCE).</summary>
    public const double EngagementSpreadWeight = 0.1;

    /// <summary>beta of beta-NLL: 0 is plain NLL, 1 gives the mean the gradient of a squared error.</summary>
    public const double Beta = 0.5;

    /// <summary>
    /// Weight of the affect squared errors in <see cref="LossParts.Point"/>: 1 / (2 sigma^2) for sigma = 0.1, the
    /// Gaussian NLL with the variance held fixed.
    /// </summary>
    public const double PointAffectWeight = 50;

    /// <param name="predictions">[...,7] in <see cref="PredictionLayout"/>.</param>
    /// <param name="labels">[...,4] in <see cref="Signals"/> order.</param>
    /// <param name="mask">[...,4], 1 where observed (and not padding).</param>
    public static LossParts Compute(Tensor predictions, Tensor labels, Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        var observed = mask > Scalars.Of(0.5);
        var safeLabels = torch.where(observed, labels, torch.zeros_like(labels));

        var engagementLogit = Column(predictions, PredictionLayout.EngagementLogit);
        var engagement = Column(safeLabels, Signals.Engagement);
        var engagementBce = nn.functional.binary_cross_entropy_with_logits(
            engagementLogit, engagement, reduction: nn.Reduction.None);
        var engagementSpread = GaussianNll(
            torch.sigmoid(engagementLogit).detach(), Column(predictions, PredictionLayout.EngagementLogVariance), engagement);

        var rating = nn.functional.binary_cross_entropy_with_logits(
            Column(predictions, PredictionLayout.RatingLogit), Column(safeLabels, Signals.Rating), reduction: nn.Reduction.None);
        var valence = GaussianNll(
            torch.sigmoid(Column(predictions, PredictionLayout.ValenceLogit)),
            Column(predictions, PredictionLayout.ValenceLogVariance), Column(safeLabels, Signals.Valence));
        var arousal = GaussianNll(
            torch.sigmoid(Column(predictions, PredictionLayout.ArousalLogit)),
            Column(predictions, PredictionLayout.ArousalLogVariance), Column(safeLabels, Signals.Arousal));

        var engagementMask = Column(observed, Signals.Engagement);
        var engagementLoss = MaskedMean(engagementBce, engagementMask);
        var spreadLoss = MaskedMean(engagementSpread, engagementMask);
        var ratingLoss = MaskedMean(rating, Column(observed, Signals.Rating));
        var valenceLoss = MaskedMean(valence, Column(observed, Signals.Valence));
        var arousalLoss = MaskedMean(arousal, Column(observed, Signals.Arousal));
        var total = engagementLoss.Plus(spreadLoss * Scalars.Of(EngagementSpreadWeight)).Plus(ratingLoss).Plus(valenceLoss).Plus(arousalLoss);

        var valenceError = torch.sigmoid(Column(predictions, PredictionLayout.ValenceLogit)).Minus(Column(safeLabels, Signals.Valence));
        var arousalError = torch.sigmoid(Column(predictions, PredictionLayout.ArousalLogit)).Minus(Column(safeLabels, Signals.Arousal));
        var affectErrors = MaskedMean(valenceError * valenceError, Column(observed, Signals.Valence))
            .Plus(MaskedMean(arousalError * arousalError, Column(observed, Signals.Arousal)));
        var pointLoss = engagementLoss.Plus(ratingLoss).Plus(affectErrors * Scalars.Of(PointAffectWeight));

        return new LossParts(
            total.MoveToOuterDisposeScope(),
            engagementLoss.item<float>(), ratingLoss.item<float>(), valenceLoss.item<float>(), arousalLoss.item<float>(),
            pointLoss.item<float>());
    }

    private static Tensor Column(Tensor t, int index) => t[TensorIndex.Ellipsis, index];

    /// <summary>Gaussian NLL without the constant, (log var + (y - mean)^2 / var) / 2, weighted by var^beta (detached).</summary>
    private static Tensor GaussianNll(Tensor mean, Tensor logVariance, Tensor target)
    {
        var error = target.Minus(mean);
        // error * error, Plus and Minus: no temporary Scalars (see SafeOps and SafeAdamW.ClipGradientNorm).
        var nll = logVariance.Plus(error * error * torch.exp(-logVariance)) * Scalars.Of(0.5);
        return nll * torch.exp(logVariance * Scalars.Of(Beta)).detach();
    }

    private static Tensor MaskedMean(Tensor values, Tensor observed)
    {
        var kept = torch.where(observed, values, torch.zeros_like(values));
        var count = observed.to_type(ScalarType.Float32).sum().clamp_min(Scalars.Of(1));
        return kept.sum() / count;
    }
}

/// <summary>
/// The total loss (a tensor to back-propagate) and its parts as plain numbers for reporting. <see cref="Point"/>
/// scores the means only (engagement and rating BCE plus weighted affect squared errors): early stopping uses it,
/// because the predicted variances made the total jitter from epoch to epoch by more than training improved it.
/// </summary>
public sealed record LossParts(Tensor Total, float Engagement, float Rating, float Valence, float Arousal, float Point = float.NaN);
