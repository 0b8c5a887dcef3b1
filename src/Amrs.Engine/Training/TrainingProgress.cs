namespace Amrs.Engine.Training;

/// <summary>Reported after every epoch of every member. Member and epoch are 1-based.</summary>
public sealed record TrainingProgress(
    int Member,
    int Members,
    int Epoch,
    int MaxEpochs,
    double TrainLoss,
    double? ValidationLoss,
    double? BestValidationLoss,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining)
{
    public override string ToString() =>
        $"member {Member}/{Members} epoch {Epoch}/{MaxEpochs}: train {TrainLoss:0.0000}"
        + (ValidationLoss is { } v ? $", validation {v:0.0000} (best {BestValidationLoss:0.0000})" : "")
        + $", {Elapsed:mm\\:ss} elapsed, about {EstimatedRemaining:mm\\:ss} left";
}
