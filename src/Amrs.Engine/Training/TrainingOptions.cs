namespace Amrs.Engine.Training;

/// <summary>How an ensemble is trained. Saved in the model card next to the architecture.</summary>
public sealed record TrainingOptions
{
    public int Members { get; init; } = 5;
    public int MaxEpochs { get; init; } = 40;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    public double GradientClip { get; init; } = 1.0;

    /// <summary>
    /// Cosine decay of the learning rate over <see cref="MaxEpochs"/> down to this fraction of it (1 = constant).
    /// </summary>
    public double LearningRateFloor { get; init; } = 1;

    /// <summary>Epochs without a validation improvement before a member stops.</summary>
    public int Patience { get; init; } = 5;

    public int Seed { get; init; } = 20261128;

    /// <summary>
    /// Train each member on a bootstrap resample of the training patients. Off by default: members already
    /// differ by seed and batch order, and on small cohorts bootstrap (about 63% unique patients per member)
    /// made every member generalise much worse to new patients (measured on the test toy world).
    /// </summary>
    public bool Bootstrap { get; init; }

    /// <summary>
    /// Optional wall-clock budget for the whole ensemble (each member gets an equal share of what is left).
    /// Where training stops then depends on machine speed, so results are no longer bit-reproducible.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Validation playlists used to calibrate the out-of-distribution threshold (a cap keeps it fast).</summary>
    public int MaxCalibrationPlaylists { get; init; } = 400;

    /// <summary>
    /// Tuned on the default generated world: small batches and a decaying rate give the many gradient steps that
    /// learning from a patient's own history needs (at batch 32 and a constant rate, validation loss jittered and
    /// stopped training after a few hundred steps, before the model learned to personalise; measured).
    /// </summary>
    public static TrainingOptions Default { get; } = new()
    {
        Members = 5, MaxEpochs = 20, BatchSize = 16, LearningRate = 5e-4, LearningRateFloor = 0.1, Patience = 8,
    };

    /// <summary>
    /// Small and fast, still deterministic: with <see cref="WorldModels.WorldModelOptions.Quick"/> about half a
    /// minute on 2 cores for a cohort the size of the paper's (900 patients, 8,100 sessions; measured).
    /// </summary>
    public static TrainingOptions Quick { get; } = new()
    {
        Members = 3, MaxEpochs = 10, BatchSize = 32, LearningRate = 2e-3, Patience = 3, MaxCalibrationPlaylists = 150,
    };

    public void Validate()
    {
        if (Members <= 0 || MaxEpochs <= 0 || BatchSize <= 0 || Patience <= 0)
            throw new ArgumentException("Members, epochs, batch size and patience must be positive.");
        if (LearningRateFloor is <= 0 or > 1)
            throw new ArgumentException("The learning-rate floor must be in (0, 1].");
        if (LearningRate <= 0 || GradientClip <= 0 || WeightDecay < 0)
            throw new ArgumentException("Learning rate and gradient clip must be positive, weight decay not negative.");
    }
}
