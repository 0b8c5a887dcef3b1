using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// The policy: a causal Transformer over history tokens (the world model's <see cref="TokenLayout"/>) gives a
/// state per token; a query MLP reads [state, condition] (utility weights, target, mode, see
/// <see cref="PolicyCondition"/>); every catalog track gets a key from its features and id. A track's score is
/// query . key + the track's bias, so a whole catalog is scored by one matrix product. Sequence-first [S,B,E].
/// </summary>
public sealed class PolicyNetwork : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Embedding _trackIds;
    private readonly Sequential _trackEncoder;
    private readonly Linear _inputProjection;
    private readonly TransformerEncoder _encoder;
    private readonly Sequential _query;
    private readonly Sequential _key;
    private readonly PolicyOptions _options;

    public PolicyNetwork(PolicyOptions options, TokenLayout layout, int vocabularyRows) : base(nameof(PolicyNetwork))
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
        var encoderLayer = nn.TransformerEncoderLayer(options.ModelDim, options.Heads, options.FeedForwardDim, options.Dropout);
        _encoder = nn.TransformerEncoder(encoderLayer, options.Layers);
        _query = nn.Sequential(
            nn.Linear(options.ModelDim + PolicyCondition.Size, options.HiddenDim),
            nn.GELU(),
            nn.Linear(options.HiddenDim, options.KeyDim));
        // The last output is the track's bias (how often the logs chose it, whatever the state).
        _key = nn.Sequential(
            nn.Linear(trackDim + layout.TrackSize, options.HiddenDim),
            nn.GELU(),
            nn.Linear(options.HiddenDim, options.KeyDim + 1));
        RegisterComponents();
    }

    public TokenLayout Layout { get; }

    public PolicyOptions Options => _options;

    /// <summary>States [S,B,E] for tokens: previous track features [S,B,F], rows [S,B], context [S,B,C]. Causal.</summary>
    public override Tensor forward(Tensor previousTrack, Tensor previousIds, Tensor context)
    {
        using var scope = torch.NewDisposeScope();
        var previous = EmbedTracks(previousTrack, previousIds);
        var tokens = _inputProjection.call(torch.cat([previous, context], dim: -1));
        var length = tokens.shape[0];
        var mask = torch.triu(torch.full(length, length, Scalars.Of(float.NegativeInfinity), device: tokens.device), diagonal: 1);
        return _encoder.call(tokens, mask).MoveToOuterDisposeScope();
    }

    /// <summary>Queries [...,K] from states [...,E] and conditions [...,<see cref="PolicyCondition.Size"/>].</summary>
    public Tensor Queries(Tensor states, Tensor conditions)
    {
        using var joined = torch.cat([states, conditions], dim: -1);
        return _query.call(joined);
    }

    /// <summary>Keys [N,K+1] (last column: bias) for tracks: features [N,F], rows [N].</summary>
    public Tensor Keys(Tensor features, Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        var embedded = EmbedTracks(features, ids);
        return _key.call(torch.cat([embedded, features], dim: -1)).MoveToOuterDisposeScope();
    }

    /// <summary>Scores [Q,N] of N tracks (keys [N,K+1]) for Q queries [Q,K].</summary>
    public static Tensor Logits(Tensor queries, Tensor keys)
    {
        using var scope = torch.NewDisposeScope();
        var k = keys.shape[1] - 1;
        var directions = keys[.., 0..(int)k];
        var bias = keys[.., (int)k];
        return queries.matmul(directions.t()).add(bias.unsqueeze(0), Scalars.Of(1)).MoveToOuterDisposeScope();
    }

    private Tensor EmbedTracks(Tensor features, Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        var rows = ids;
        if (training && _options.IdDropout > 0)
        {
            var drop = torch.rand(ids.shape, device: ids.device) < Scalars.Of(_options.IdDropout);
            rows = torch.where(drop, torch.zeros_like(ids), ids);
        }
        var joined = torch.cat([features, _trackIds.call(rows)], dim: -1);
        return _trackEncoder.call(joined).MoveToOuterDisposeScope();
    }
}
