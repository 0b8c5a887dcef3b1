namespace Amrs.Engine.WorldModels;

/// <summary>Architecture of one world-model member. Saved in the model card; a model loads with its own.</summary>
public sealed record WorldModelOptions
{
    public int ModelDim { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int Layers { get; init; } = 2;
    public int FeedForwardDim { get; init; } = 128;
    public double Dropout { get; init; } = 0.1;
    public int IdEmbeddingDim { get; init; } = 16;
    public int TrackEmbeddingDim { get; init; } = 32;
    public int HeadHiddenDim { get; init; } = 64;

    /// <summary>The paper's best variant used none; a learned position embedding is available.</summary>
    public bool UsePositionalEncoding { get; init; }

    /// <summary>How many earlier steps the model sees (older ones are truncated).</summary>
    public int MaxHistory { get; init; } = 64;

    /// <summary>Probability, during training, of replacing a track's id with the unknown row (teaches cold start).</summary>
    public double IdDropout { get; init; } = 0.1;

    /// <summary>
    /// Features per signal of the <see cref="PatientFilter"/> (the patient's responses regressed on learned features,
    /// updated after every step). 0: none, as in models saved before it existed, whose cards do not name it (so the
    /// property's own default stays 0). Both presets use 8 since the fifteenth session (engagement R-squared and rating AUC
    /// up, valence and arousal about unchanged; see the Engine README).
    /// </summary>
    public int FilterDim { get; init; }

    public static WorldModelOptions Default { get; } = new() { FilterDim = 8 };

    public static WorldModelOptions Quick { get; } = new()
    {
        ModelDim = 32, Heads = 2, Layers = 1, FeedForwardDim = 64, TrackEmbeddingDim = 16, HeadHiddenDim = 32,
        IdEmbeddingDim = 8, MaxHistory = 32, FilterDim = 8,
    };

    public void Validate()
    {
        if (ModelDim <= 0 || Heads <= 0 || ModelDim % Heads != 0)
            throw new ArgumentException($"ModelDim ({ModelDim}) must be a positive multiple of Heads ({Heads}).");
        if (Layers <= 0 || MaxHistory <= 0 || FeedForwardDim <= 0 || TrackEmbeddingDim <= 0 || HeadHiddenDim <= 0 || IdEmbeddingDim <= 0)
            throw new ArgumentException("Layer counts and sizes must be positive.");
        if (FilterDim < 0)
            throw new ArgumentException($"FilterDim ({FilterDim}) must not be negative.");
        if (Dropout is < 0 or >= 1 || IdDropout is < 0 or >= 1)
            throw new ArgumentException("Dropout rates must be in [0, 1).");
    }
}
