namespace Amrs.Engine.Policies;

/// <summary>Architecture of a policy network. Saved with the model; a policy loads with its own.</summary>
public sealed record PolicyOptions
{
    public int ModelDim { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int Layers { get; init; } = 2;
    public int FeedForwardDim { get; init; } = 128;
    public double Dropout { get; init; } = 0.1;
    public int IdEmbeddingDim { get; init; } = 16;
    public int TrackEmbeddingDim { get; init; } = 64;

    /// <summary>Width of the query and key MLPs.</summary>
    public int HiddenDim { get; init; } = 128;

    /// <summary>Size of the query/key space in which a state scores a track (dot product plus a per-track bias).</summary>
    public int KeyDim { get; init; } = 48;

    /// <summary>How many history tokens the policy sees (older ones are dropped). No positional encoding.</summary>
    public int MaxHistory { get; init; } = 64;

    /// <summary>Probability, in training, of replacing a track id by the unknown row (cold-start tracks).</summary>
    public double IdDropout { get; init; } = 0.1;

    public static PolicyOptions Default { get; } = new();

    public static PolicyOptions Quick { get; } = new()
    {
        ModelDim = 32, Heads = 2, Layers = 1, FeedForwardDim = 64, IdEmbeddingDim = 8, TrackEmbeddingDim = 32,
        HiddenDim = 64, KeyDim = 32, MaxHistory = 48,
    };

    public void Validate()
    {
        if (ModelDim <= 0 || Heads <= 0 || ModelDim % Heads != 0)
            throw new ArgumentException($"ModelDim ({ModelDim}) must be a positive multiple of Heads ({Heads}).");
        if (Layers <= 0 || FeedForwardDim <= 0 || IdEmbeddingDim <= 0 || TrackEmbeddingDim <= 0 || HiddenDim <= 0 || KeyDim <= 0 || MaxHistory <= 1)
            throw new ArgumentException("Layer counts and sizes must be positive (MaxHistory at least 2).");
        if (Dropout is < 0 or >= 1 || IdDropout is < 0 or >= 1)
            throw new ArgumentException("Dropout rates must be in [0, 1).");
    }
}
