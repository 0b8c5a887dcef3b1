using Amrs.Engine.Episodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// The AMRS world model: a causal Transformer encoder over history tokens (see <see cref="TokenLayout"/>)
/// yields a state per step; factorised MLP heads take [state, candidate track embedding] and predict
/// engagement, rating, valence and arousal (the last two with a variance). Sequence-first [S,B,E].
/// </summary>
public sealed class WorldModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Embedding _trackIds;
    private readonly Sequential _trackEncoder;
    private readonly Linear _inputProjection;
    private readonly Embedding _positions;
    private readonly TransformerEncoder _encoder;
    private readonly FactorisedHead _engagement;
    private readonly FactorisedHead _rating;
    private readonly FactorisedHead _valence;
    private readonly FactorisedHead _arousal;
    private readonly WorldModelOptions _options;

    public WorldModel(WorldModelOptions options, TokenLayout layout, int vocabularyRows) : base(nameof(WorldModel))
    {
        options.Validate();
        _options = options;
        Layout = layout;
        var trackDim = options.TrackEmbeddingDim;
        _trackIds = nn.Embedding(vocabularyRows, options.IdEmbeddingDim);
        _trackEncoder = nn.Sequential(
            nn.Linear(layout.TrackSize + options.IdEmbeddingDim, trackDim),
            nn.GELU(),
            nn.Linear(trackDim, trackDim));
        _inputProjection = nn.Linear(trackDim + layout.ContextSize, options.ModelDim);
        // Created even when unused so that the parameter set does not depend on a flag.
        _positions = nn.Embedding(options.MaxHistory + 1, options.ModelDim);
        var encoderLayer = nn.TransformerEncoderLayer(options.ModelDim, options.Heads, options.FeedForwardDim, options.Dropout);
        _encoder = nn.TransformerEncoder(encoderLayer, options.Layers);
        _engagement = new FactorisedHead("engagement", options.ModelDim, trackDim, options.HeadHiddenDim, 2);
        _rating = new FactorisedHead("rating", options.ModelDim, trackDim, options.HeadHiddenDim, 1);
        _valence = new FactorisedHead("valence", options.ModelDim, trackDim, options.HeadHiddenDim, 2);
        _arousal = new FactorisedHead("arousal", options.ModelDim, trackDim, options.HeadHiddenDim, 2);
        RegisterComponents();
    }

    public TokenLayout Layout { get; }

    public WorldModelOptions Options => _options;

    /// <summary>
    /// States for every token: previous track features [S,B,F], previous track rows [S,B], context [S,B,C]
    /// -> [S,B,E]. The state at token t depends on tokens 0..t only.
    /// </summary>
    public override Tensor forward(Tensor previousTrack, Tensor previousIds, Tensor context)
    {
        var length = previousIds.shape[0];
        using var previous = EmbedTracks(previousTrack, previousIds);
        using var joined = torch.cat([previous, context], dim: -1);
        using var projected = _inputProjection.call(joined);
        using var mask = CausalMask(length, previousTrack.device);
        if (!_options.UsePositionalEncoding) return _encoder.call(projected, mask);

        if (length > _options.MaxHistory + 1)
            throw new ArgumentException($"Sequence of {length} tokens exceeds MaxHistory + 1 = {_options.MaxHistory + 1}.");
        using var steps = torch.arange(length, dtype: ScalarType.Int64, device: previousTrack.device);
        using var positions = _positions.call(steps).unsqueeze(1);
        using var withPositions = projected + positions;
        return _encoder.call(withPositions, mask);
    }

    /// <summary>Track embeddings from features [...,F] and vocabulary rows [...] -> [...,D].</summary>
    public Tensor EmbedTracks(Tensor features, Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        var rows = ids;
        if (training && _options.IdDropout > 0)
        {
            // Teach the unknown row (cold start) by hiding some known ids during training.
            var drop = torch.rand(ids.shape, device: ids.device) < _options.IdDropout;
            rows = torch.where(drop, torch.zeros_like(ids), ids);
        }
        var idEmbedding = _trackIds.call(rows);
        var joined = torch.cat([features, idEmbedding], dim: -1);
        return _trackEncoder.call(joined).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predictions [...,7] (<see cref="PredictionLayout"/>) for states [...,E] and candidate embeddings
    /// [...,D] that broadcast against each other: [B,1,E] with [1,C,D] scores C candidates for B states.
    /// </summary>
    public Tensor Predict(Tensor states, Tensor candidates)
    {
        using var scope = torch.NewDisposeScope();
        var engagement = _engagement.call(states, candidates);
        var rating = _rating.call(states, candidates);
        var valence = _valence.call(states, candidates);
        var arousal = _arousal.call(states, candidates);
        var joined = torch.cat(
        [
            engagement[TensorIndex.Ellipsis, 0..1], BoundLogVariance(engagement[TensorIndex.Ellipsis, 1..2]),
            rating,
            valence[TensorIndex.Ellipsis, 0..1], BoundLogVariance(valence[TensorIndex.Ellipsis, 1..2]),
            arousal[TensorIndex.Ellipsis, 0..1], BoundLogVariance(arousal[TensorIndex.Ellipsis, 1..2]),
        ], dim: -1);
        return joined.MoveToOuterDisposeScope();
    }

    /// <summary>Scores C candidates for each of B states: states [B,E], candidate embeddings [C,D] -> [B,C,7].</summary>
    public Tensor ScoreCandidates(Tensor states, Tensor candidateEmbeddings)
    {
        using var s = states.unsqueeze(1);
        using var c = candidateEmbeddings.unsqueeze(0);
        return Predict(s, c);
    }

    /// <summary>The upper-triangular -inf mask that keeps token t from attending to tokens after t.</summary>
    public static Tensor CausalMask(long length, Device device)
    {
        using var full = torch.full(length, length, float.NegativeInfinity, device: device);
        return torch.triu(full, diagonal: 1);
    }

    private static Tensor BoundLogVariance(Tensor raw) =>
        PredictionLayout.MinLogVariance
        + (PredictionLayout.MaxLogVariance - PredictionLayout.MinLogVariance) * torch.sigmoid(raw);
}
