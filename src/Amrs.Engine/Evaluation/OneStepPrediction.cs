namespace Amrs.Engine.Evaluation;

/// <summary>How much of the patient's history the model had when predicting a step.</summary>
public enum HistoryBucket
{
    /// <summary>The step is in the patient's first session (cold start).</summary>
    FirstSession,
    SecondSession,
    LaterSessions,
}

/// <summary>
/// One observed signal of one held-out step and the world model's one-step-ahead prediction of it: ensemble
/// mean, the central 80% predictive band (epistemic + noise) and the spreads. For rating, Observed is 0/1
/// and Mean the predicted probability.
/// </summary>
public sealed record OneStepPrediction(
    string PatientId,
    string SessionId,
    int StepIndex,
    HistoryBucket Bucket,
    int Signal,
    double Observed,
    double Mean,
    double Lower80,
    double Upper80,
    double EpistemicSd,
    double TotalSd)
{
    public bool InBand => Observed >= Lower80 && Observed <= Upper80;
}

/// <summary>Accuracy of one signal within one bucket (Bucket null = all steps).</summary>
public sealed record OneStepSummary(
    HistoryBucket? Bucket,
    int Signal,
    int Count,
    double MeanAbsoluteError,
    double RootMeanSquaredError,
    double RSquared,
    double Coverage80,
    double MeanBandWidth);
