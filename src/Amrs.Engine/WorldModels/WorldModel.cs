using Amrs.Engine.Episodes;
using Amrs.Engine.Features;
using Amrs.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// The AMRS world model: a causal Transformer encoder over history tokens (see <see cref="TokenLayout"/>)
/// yields a state per step; factorised MLP heads take [state, candidate track embedding] and predict
/// engagement, rating, valence and arousal (the last two with a variance). Sequence-first [S,B,E].
/// <para>
/// Genre taste, looked up exactly. The state is the encoder's output followed by the token's genre taste (the
/// <see cref="HistorySummary"/>'s engagement deviation and rating per genre bucket), and a candidate's embedding ends
/// with its genre buckets. Every prediction adds a learned linear map (starting at zero) of the patient's taste for
/// the candidate's own genre: the dot products of the two. Left for the heads to learn, through the input
/// projection or even with the taste in the state, the lookup never formed: the rating AUC stayed at 0.68 while the
/// genre estimates alone ranked ratings at 0.72. With the exact lookup: 0.73, and engagement R-squared 0.51 -> 0.56
/// (default world, from the third session on, 3 members).
/// </para>
/// <para>
/// The same for taste beyond genre: the state also carries the summary's engagement with each centred descriptor
/// (valence, arousal, year, squared arousal, squared year: <see cref="HistorySummary.TasteDescriptors"/>), a candidate's
/// embedding ends with its own descriptors, and their products enter the same map (rating AUC 0.727 -> 0.738, valence
/// R-squared 0.502 -> 0.509, 3 members; liking falls with the distance from a preferred arousal and peaks around the
/// music of the patient's youth, which the heads did not form from the summary alone).
/// </para>
/// <para>
/// And for the candidate itself: the patient's <see cref="TrackRecord"/> of it (heard before, how often, their engagement
/// and ratings on it), which depends on both the patient and the track and so cannot sit in either side, enters the
/// predictions through a second learned map (starting at zero). Without it the model could not know that a candidate
/// is one the patient heard, and liked or not, last week.
/// </para>
/// <para>
/// These pair values (the lookups and the record: <see cref="PairFeatures"/>) also enter every head's first layer, beside
/// the state and the candidate, so a head can combine them non-linearly with the rest (how much a liked track pulls the
/// mood toward its own depends on how far the mood stands from it): measured with 3 members on the default world, best
/// validation losses 1.813-1.817 -> 1.804-1.810 and rating AUC 0.739 -> 0.749 from the third session on (valence and
/// arousal R-squared unchanged).
/// </para>
/// <para>
/// With <see cref="WorldModelOptions.FilterDim"/> above 0 the state also carries a <see cref="PatientFilter"/>: the
/// patient's observed engagement, valence and arousal regressed on learned features of each step, its exact posterior
/// updated after every step. The heads read it only through its lookup (the candidate's predicted deviation and its
/// variance per signal, among the pair values). Measured with 3 members on the default world, from the third session on:
/// engagement R-squared 0.549-0.565 -> 0.580, rating AUC 0.747-0.750 -> 0.752, valence and arousal unchanged
/// (0.519, 0.577). Both presets use it (8 features per signal) since the fifteenth session, when the shipped bundle was
/// retrained with it.
/// </para>
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
    /// <summary>Genre buckets in the track features and the summary (0: a model without a summary).</summary>
    private readonly int _genres;
    /// <summary>Where the genre taste (engagement then rating per bucket) starts in a token's context.</summary>
    private readonly int _tasteStart;
    /// <summary>Where the summary's session block (the mood estimates) starts in a token's context.</summary>
    private readonly int _moodStart;
    /// <summary>Where the taste beyond genre (engagement with each centred descriptor) starts in a token's context.</summary>
    private readonly int _descriptorTasteStart;
    private const int Descriptors = HistorySummary.TasteTerms;
    /// <summary>
    /// Scales of the descriptor lookups (taste term times the candidate's descriptor), so the map's weights are of
    /// order one: the centred valence and arousal and the squared arousal are a few tenths, the standardised year about one.
    /// </summary>
    private static readonly float[] DescriptorLookupScales = [250, 250, 10, 250, 10];
    /// <summary>From the <see cref="PairFeatures"/> (taste lookups, the patient's record of the candidate) to a shift of every raw prediction.</summary>
    private readonly Linear _lookup;
    /// <summary>Taste values are deviations of a few tenths; scaled so the map's weights are of order one.</summary>
    private const double LookupScale = 10;
    /// <summary>Scales of the record's values (heard, log plays, engagement deviation, rating - 0.5) so the map's weights are of order one.</summary>
    private static readonly float[] RecordLookupScales = [1, 1, 10, 4];
    /// <summary>Where <see cref="CandidateParts"/> puts the candidates' genre buckets, after the four heads' parts.</summary>
    private const int GenrePart = 8;
    /// <summary>Where <see cref="CandidateParts"/> puts the candidates' <see cref="PatientFilter.CandidateFeatures"/>, after the genre buckets.</summary>
    private const int FilterPart = 9;
    /// <summary>The patient filter (null in a model without one: <see cref="WorldModelOptions.FilterDim"/> 0, or no summary).</summary>
    private readonly PatientFilter? _filter;

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
        _genres = HistorySummary.GenreBucketsFor(layout.SummarySize);
        _tasteStart = layout.Summary + HistorySummary.SignalBlock;
        _moodStart = layout.Summary + HistorySummary.SessionMoodOffset;
        _descriptorTasteStart = layout.Summary + HistorySummary.TasteOffset;
        if (_genres > 0) trackDim += _genres + Descriptors; // the embedding ends with the genre buckets and the taste descriptors
        _inputProjection = nn.Linear(trackDim + layout.ContextSize, options.ModelDim);
        // Created even when unused so that the parameter set does not depend on a flag.
        _positions = nn.Embedding(options.MaxHistory + 1, options.ModelDim);
        var encoderLayer = nn.TransformerEncoderLayer(options.ModelDim, options.Heads, options.FeedForwardDim, options.Dropout);
        _encoder = nn.TransformerEncoder(encoderLayer, options.Layers);
        if (_genres > 0 && options.FilterDim > 0)
            _filter = new PatientFilter(StepContext.Size + HistorySummary.SessionBlock, _genres + Descriptors, options.HeadHiddenDim, options.FilterDim);
        _lookup = nn.Linear(PairSize, PredictionLayout.Size, hasBias: false);
        // Starts at no effect, so early training is the model without the lookup (a random start slowed training
        // and cost arousal R-squared 0.04).
        using (torch.no_grad()) _lookup.weight!.zero_();
        var stateDim = StateDim - FilterWidth; // the heads read the filter only through its lookup
        _engagement = new FactorisedHead("engagement", stateDim, trackDim, PairSize, options.HeadHiddenDim, 2);
        _rating = new FactorisedHead("rating", stateDim, trackDim, PairSize, options.HeadHiddenDim, 1);
        _valence = new FactorisedHead("valence", stateDim, trackDim, PairSize, options.HeadHiddenDim, 2);
        _arousal = new FactorisedHead("arousal", stateDim, trackDim, PairSize, options.HeadHiddenDim, 2);
        RegisterComponents();
    }

    public TokenLayout Layout { get; }

    public WorldModelOptions Options => _options;

    /// <summary>
    /// The width of a state: the encoder's output, the genre taste and the summary's session block (the mood estimates,
    /// handed to the heads directly: measured with 3 members on the default world, valence R-squared 0.488 -> 0.502 and
    /// arousal 0.563 -> 0.571 against the same estimates reaching the heads only through the encoder).
    /// </summary>
    public int StateDim => _options.ModelDim + 2 * _genres + (_genres == 0 ? 0 : HistorySummary.SessionBlock + Descriptors) + FilterWidth;

    /// <summary>Where a state holds the taste beyond genre (engagement with each centred descriptor), just before the filter's block.</summary>
    internal int DescriptorTasteColumn => StateDim - FilterWidth - Descriptors;

    /// <summary>The filter's block at the end of a state (0 without a filter).</summary>
    private int FilterWidth => _filter?.StateWidth ?? 0;

    /// <summary>
    /// How many <see cref="PairFeatures"/>: the taste lookups (with a summary), the filter's lookup (with a filter), then
    /// the patient's record of the candidate.
    /// </summary>
    private int PairSize => (_genres == 0 ? 0 : 2 + Descriptors) + (_filter is null ? 0 : PatientFilter.PairValues) + TrackRecord.Size;

    /// <summary>Where the patient's record of the candidate starts in the pair features, and so in the lookup map's columns.</summary>
    internal int RecordColumn => PairSize - TrackRecord.Size;

    /// <summary>
    /// States for every token: previous track features [S,B,F], previous track rows [S,B], context [S,B,C]
    /// -> [S,B,<see cref="StateDim"/>]. The state at token t depends on tokens 0..t only.
    /// </summary>
    public override Tensor forward(Tensor previousTrack, Tensor previousIds, Tensor context)
    {
        using var tokens = EmbedTokens(previousTrack, previousIds, context, offset: 0);
        using var mask = CausalMask(tokens.shape[0], previousTrack.device);
        using var encoded = _encoder.call(tokens, mask);
        return WithSummaryParts(encoded, previousTrack, context, memory: null, lastOnly: false);
    }

    /// <summary>
    /// The state of the last token alone, [B,<see cref="StateDim"/>], for the same inputs as <see cref="forward"/>: what
    /// scoring the next step needs. Equal to the forward pass's last row; cheaper, as the filter solves one posterior.
    /// </summary>
    public Tensor LastStates(Tensor previousTrack, Tensor previousIds, Tensor context)
    {
        using var tokens = EmbedTokens(previousTrack, previousIds, context, offset: 0);
        using var mask = CausalMask(tokens.shape[0], previousTrack.device);
        using var encoded = _encoder.call(tokens, mask);
        using var last = WithSummaryParts(encoded, previousTrack, context, memory: null, lastOnly: true);
        return last.squeeze(0);
    }

    /// <summary>
    /// The encoder's output [S,B,E] followed by the genre taste and the session block of the same tokens' summary
    /// (from their context [S,B,C]), then the filter's state (continuing <paramref name="memory"/> when given); with
    /// <paramref name="lastOnly"/> for the last token alone ([1,B,...]).
    /// </summary>
    private Tensor WithSummaryParts(Tensor encoded, Tensor previousTrack, Tensor context, FilterMemory? memory, bool lastOnly)
    {
        using var scope = torch.NewDisposeScope();
        var length = context.shape[0];
        Tensor Own(Tensor t) => lastOnly ? t.narrow(0, length - 1, 1) : t;
        if (_genres == 0) return Own(encoded).alias().MoveToOuterDisposeScope();
        var taste = context[TensorIndex.Ellipsis, TensorIndex.Slice(_tasteStart, _tasteStart + 2 * _genres)];
        var mood = context[TensorIndex.Ellipsis, TensorIndex.Slice(_moodStart, _moodStart + HistorySummary.SessionBlock)];
        var descriptorTaste = context[TensorIndex.Ellipsis, TensorIndex.Slice(_descriptorTasteStart, _descriptorTasteStart + Descriptors)];
        if (_filter is null) return torch.cat([Own(encoded), Own(taste), Own(mood), Own(descriptorTaste)], dim: -1).MoveToOuterDisposeScope();
        // The filter reads every token (its sums run over all of them) even when only the last token's state is wanted.
        var step = context[TensorIndex.Ellipsis, TensorIndex.Slice(TokenLayout.Step, TokenLayout.Step + StepContext.Size)];
        var filterContext = torch.cat([step, mood], dim: -1);
        var previous = TrackDescriptors(previousTrack);
        var filter = lastOnly
            ? _filter.LastState(filterContext, previous, context, memory)
            : _filter.States(filterContext, previous, context, memory);
        return torch.cat([Own(encoded), Own(taste), Own(mood), Own(descriptorTaste), filter], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>A track's genre buckets and taste descriptors, features [...,F] -> [...,G+5] (how a track ends its embedding).</summary>
    private Tensor TrackDescriptors(Tensor features)
    {
        using var scope = torch.NewDisposeScope();
        var genre = features[TensorIndex.Ellipsis, TensorIndex.Slice(TrackFeaturizer.GenreOffset, TrackFeaturizer.GenreOffset + _genres)];
        return torch.cat([genre, TasteDescriptors(features)], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Encodes tokens like <see cref="forward"/> and returns the last token's state [B,<see cref="StateDim"/>] (what a
    /// rollout starts from, as in <see cref="LastStates"/>) plus a cache of every layer's keys and values, to continue
    /// with <see cref="Extend"/>. Evaluation mode only (no dropout).
    /// </summary>
    public (Tensor LastStates, EncoderCache Cache) Prefill(Tensor previousTrack, Tensor previousIds, Tensor context)
    {
        var batch = previousIds.shape[1];
        var headDim = _options.ModelDim / _options.Heads;
        var empty = Enumerable.Range(0, _options.Layers)
            .Select(_ => torch.zeros([batch, _options.Heads, 0, headDim], device: previousTrack.device).DetachFromDisposeScope())
            .ToArray();
        var cache = new EncoderCache(empty, empty.Select(t => t.clone().DetachFromDisposeScope()).ToArray(), length: 0)
        {
            Filter = _filter is null ? null : _filter.EmptyMemory(batch, previousTrack.device),
        };
        using var last = Encode(previousTrack, previousIds, context, cache, lastOnly: true);
        return (last.squeeze(0), cache);
    }

    /// <summary>
    /// States [T,B,<see cref="StateDim"/>] for T new tokens that follow the cached ones, appending their keys and values to the
    /// cache. Computes exactly what the encoder computes for those positions (post-norm layers, ReLU), using
    /// the encoder's own weights; a test holds the two paths equal.
    /// </summary>
    public Tensor Extend(Tensor previousTrack, Tensor previousIds, Tensor context, EncoderCache cache) =>
        Encode(previousTrack, previousIds, context, cache, lastOnly: false);

    /// <summary><see cref="Extend"/>'s work; with <paramref name="lastOnly"/> it returns the last new token's state alone, [1,B,E].</summary>
    private Tensor Encode(Tensor previousTrack, Tensor previousIds, Tensor context, EncoderCache cache, bool lastOnly)
    {
        if (training) throw new InvalidOperationException("Incremental encoding is for evaluation mode only.");
        using var scope = torch.NewDisposeScope();
        var x = EmbedTokens(previousTrack, previousIds, context, offset: cache.Length);
        var newTokens = x.shape[0];
        var batch = x.shape[1];
        var modelDim = _options.ModelDim;
        var heads = _options.Heads;
        var headDim = modelDim / heads;
        var p = EncoderParameters();
        var scale = Scalars.Of(1 / Math.Sqrt(headDim));

        for (var layer = 0; layer < _options.Layers; layer++)
        {
            var prefix = $"layers.{layer}.";
            var qkv = nn.functional.linear(x, p[prefix + "self_attn.in_proj_weight"], p[prefix + "self_attn.in_proj_bias"]);
            var parts = qkv.chunk(3, dim: -1);
            Tensor Heads(Tensor t) => t.reshape(newTokens, batch, heads, headDim).permute(1, 2, 0, 3);
            var attended = cache.Attend(layer, Heads(parts[0]), Heads(parts[1]), Heads(parts[2]), scale)
                .permute(2, 0, 1, 3).reshape(newTokens, batch, modelDim);
            var attention = nn.functional.linear(attended, p[prefix + "self_attn.out_proj.weight"], p[prefix + "self_attn.out_proj.bias"]);
            x = nn.functional.layer_norm(x.Plus(attention), [modelDim], p[prefix + "norm1.weight"], p[prefix + "norm1.bias"]);
            var hidden = nn.functional.relu(nn.functional.linear(x, p[prefix + "linear1.weight"], p[prefix + "linear1.bias"]));
            var feedForward = nn.functional.linear(hidden, p[prefix + "linear2.weight"], p[prefix + "linear2.bias"]);
            x = nn.functional.layer_norm(x.Plus(feedForward), [modelDim], p[prefix + "norm2.weight"], p[prefix + "norm2.bias"]);
        }
        cache.Advance(newTokens);
        return WithSummaryParts(x, previousTrack, context, cache.Filter, lastOnly).MoveToOuterDisposeScope();
    }

    private Dictionary<string, Tensor> EncoderParameters() =>
        _encoder.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter, StringComparer.Ordinal);

    /// <summary>Token vectors [S,B,E] from the raw token inputs; <paramref name="offset"/> is the first position.</summary>
    private Tensor EmbedTokens(Tensor previousTrack, Tensor previousIds, Tensor context, long offset)
    {
        using var scope = torch.NewDisposeScope();
        var length = previousIds.shape[0];
        var previous = EmbedTracks(previousTrack, previousIds);
        var projected = _inputProjection.call(torch.cat([previous, context], dim: -1));
        if (!_options.UsePositionalEncoding) return projected.MoveToOuterDisposeScope();

        if (offset + length > _options.MaxHistory + 1)
            throw new ArgumentException($"Sequence of {offset + length} tokens exceeds MaxHistory + 1 = {_options.MaxHistory + 1}.");
        var steps = torch.arange(offset, offset + length, dtype: ScalarType.Int64, device: previousTrack.device);
        return projected.Plus(_positions.call(steps).unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Track embeddings from features [...,F] and vocabulary rows [...] -> [...,D] (ending with the genre buckets).</summary>
    public Tensor EmbedTracks(Tensor features, Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        var rows = ids;
        if (training && _options.IdDropout > 0)
        {
            // Teach the unknown row (cold start) by hiding some known ids during training.
            var drop = torch.rand(ids.shape, device: ids.device) < Scalars.Of(_options.IdDropout);
            rows = torch.where(drop, torch.zeros_like(ids), ids);
        }
        var idEmbedding = _trackIds.call(rows);
        var joined = torch.cat([features, idEmbedding], dim: -1);
        var embedded = _trackEncoder.call(joined);
        if (_genres == 0) return embedded.MoveToOuterDisposeScope();
        return torch.cat([embedded, TrackDescriptors(features)], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predictions [...,7] (<see cref="PredictionLayout"/>) for states [...,E] and candidate embeddings
    /// [...,D] that broadcast against each other: [B,1,E] with [1,C,D] scores C candidates for B states.
    /// <paramref name="records"/> [...,<see cref="TrackRecord.Size"/>] holds the patient's record of each candidate,
    /// broadcasting the same way (null: none was heard before).
    /// </summary>
    public Tensor Predict(Tensor states, Tensor candidates, Tensor? records)
    {
        using var scope = torch.NewDisposeScope();
        return PredictFromCandidateParts(states, CandidateParts(candidates), records).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The state-independent part of every head's first layer for candidate embeddings [...,D]: two tensors per head
    /// [...,H], then (with a summary) the candidates' genre buckets and descriptors [...,G+5] for the taste lookup, then
    /// (with a filter) what they bring to its lookup (<see cref="PatientFilter.CandidateFeatures"/>). Computing them once
    /// per catalog makes scoring many candidates cheap.
    /// </summary>
    public Tensor[] CandidateParts(Tensor candidates)
    {
        Tensor[] heads = [.. _engagement.CandidateParts(candidates), .. _rating.CandidateParts(candidates),
                          .. _valence.CandidateParts(candidates), .. _arousal.CandidateParts(candidates)];
        if (_genres == 0) return heads;
        var width = candidates.shape[^1];
        var descriptors = candidates[TensorIndex.Ellipsis, TensorIndex.Slice(width - _genres - Descriptors, width)].contiguous();
        if (_filter is null) return [.. heads, descriptors]; // [GenrePart]
        return [.. heads, descriptors, _filter.CandidateFeatures(descriptors)]; // [GenrePart], [FilterPart]
    }

    /// <summary><see cref="Predict"/> from precomputed <see cref="CandidateParts"/>.</summary>
    public Tensor PredictFromCandidateParts(Tensor states, Tensor[] parts, Tensor? records)
    {
        using var scope = torch.NewDisposeScope();
        var pair = PairFeatures(states, parts, records);
        var shift = _lookup.call(pair);
        var heads = _filter is null ? states : states.narrow(-1, 0, states.shape[^1] - FilterWidth);
        // Plus, not +: the operator's hidden alpha Scalar can be finalised during the native call (see SafeOps).
        var engagement = _engagement.FromCandidateParts(heads, parts[0], parts[1], pair).Plus(shift[TensorIndex.Ellipsis, 0..2]);
        var rating = _rating.FromCandidateParts(heads, parts[2], parts[3], pair).Plus(shift[TensorIndex.Ellipsis, 2..3]);
        var valence = _valence.FromCandidateParts(heads, parts[4], parts[5], pair).Plus(shift[TensorIndex.Ellipsis, 3..5]);
        var arousal = _arousal.FromCandidateParts(heads, parts[6], parts[7], pair).Plus(shift[TensorIndex.Ellipsis, 5..7]);
        var joined = torch.cat(
        [
            engagement[TensorIndex.Ellipsis, 0..1], BoundLogVariance(engagement[TensorIndex.Ellipsis, 1..2]),
            rating,
            valence[TensorIndex.Ellipsis, 0..1], BoundLogVariance(valence[TensorIndex.Ellipsis, 1..2]),
            arousal[TensorIndex.Ellipsis, 0..1], BoundLogVariance(arousal[TensorIndex.Ellipsis, 1..2]),
        ], dim: -1);
        return joined.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// What is known of this patient and this candidate together [...,<see cref="PairSize"/>], for states and candidate
    /// parts that broadcast against each other: with a summary the taste lookups (<see cref="TasteLookup"/>), with a
    /// filter its lookup (<see cref="PatientFilter.Lookup"/>), then the patient's record of the candidate, scaled (zeros
    /// where none is given: no candidate was heard before).
    /// </summary>
    private Tensor PairFeatures(Tensor states, Tensor[] parts, Tensor? records)
    {
        using var scope = torch.NewDisposeScope();
        var taste = _genres == 0 ? null : TasteLookup(states, parts[GenrePart]);
        long[] pairs = taste is not null ? taste.shape[..^1] : Shapes.BroadcastLeading(states, parts[0]);
        Tensor record;
        if (records is null) record = torch.zeros([.. pairs, TrackRecord.Size], device: states.device);
        else
        {
            using var scales = torch.tensor(RecordLookupScales, device: records.device);
            record = (records * scales).expand([.. pairs, TrackRecord.Size]);
        }
        if (taste is null) return record.contiguous().MoveToOuterDisposeScope();
        if (_filter is null) return torch.cat([taste, record], dim: -1).MoveToOuterDisposeScope();
        var filterStates = states.narrow(-1, states.shape[^1] - FilterWidth, FilterWidth);
        var filter = _filter.Lookup(filterStates, parts[FilterPart]).expand([.. pairs, PatientFilter.PairValues]);
        return torch.cat([taste, filter, record], dim: -1).MoveToOuterDisposeScope();
    }


    /// <summary>
    /// This patient's taste for the candidate [...,7]: the state's engagement and rating per genre bucket dotted with the
    /// candidate's buckets [...,G], then the state's engagement with each centred descriptor times the candidate's own.
    /// </summary>
    private Tensor TasteLookup(Tensor states, Tensor candidateGenres)
    {
        using var scope = torch.NewDisposeScope();
        var engaged = states[TensorIndex.Ellipsis, TensorIndex.Slice(_options.ModelDim, _options.ModelDim + _genres)];
        var rated = states[TensorIndex.Ellipsis, TensorIndex.Slice(_options.ModelDim + _genres, _options.ModelDim + 2 * _genres)];
        var descriptorTaste = states[TensorIndex.Ellipsis, TensorIndex.Slice(DescriptorTasteColumn, DescriptorTasteColumn + Descriptors)];
        var genres = candidateGenres[TensorIndex.Ellipsis, TensorIndex.Slice(0, _genres)];
        var descriptors = candidateGenres[TensorIndex.Ellipsis, TensorIndex.Slice(_genres, _genres + Descriptors)];
        var genreLookup = GenreTaste(engaged, rated, genres) * Scalars.Of(LookupScale);
        using var scales = torch.tensor(DescriptorLookupScales, device: states.device);
        return torch.cat([genreLookup, descriptorTaste * descriptors * scales], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The taste for each candidate's genre [...,2]: the state's engagement and rating per bucket [...,G] dotted with the
    /// candidate's buckets [...,G]. One state for many candidates (scoring a catalog, [...,1,G] against [...,C,G]) is a
    /// matrix product, which spares two [C,G] temporaries per member (96 buckets: most of the lookup's cost).
    /// </summary>
    private static Tensor GenreTaste(Tensor engaged, Tensor rated, Tensor genres)
    {
        using var scope = torch.NewDisposeScope();
        if (engaged.dim() >= 2 && engaged.shape[^2] == 1 && genres.shape[^2] > 1)
            return torch.matmul(genres, torch.cat([engaged, rated], dim: -2).transpose(-1, -2)).MoveToOuterDisposeScope();
        return torch.cat([(engaged * genres).sum(-1, keepdim: true), (rated * genres).sum(-1, keepdim: true)], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>The tensor twin of <see cref="HistorySummary.TasteDescriptors"/>: features [...,F] -> [...,5].</summary>
    private static Tensor TasteDescriptors(Tensor features)
    {
        using var scope = torch.NewDisposeScope();
        var valence = features[TensorIndex.Ellipsis, 0..1] - Scalars.Of(0.5);
        var arousal = features[TensorIndex.Ellipsis, 1..2] - Scalars.Of(0.5);
        var year = features[TensorIndex.Ellipsis, TrackFeaturizer.YearOffset..(TrackFeaturizer.YearOffset + 1)];
        return torch.cat([valence, arousal, year, arousal * arousal * Scalars.Of(4), year * year], dim: -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scores C candidates for each of B states: states [B,E], candidate embeddings [C,D], records [B,C,R] or null
    /// -> [B,C,7].
    /// </summary>
    public Tensor ScoreCandidates(Tensor states, Tensor candidateEmbeddings, Tensor? records = null)
    {
        using var s = states.unsqueeze(1);
        using var c = candidateEmbeddings.unsqueeze(0);
        return Predict(s, c, records);
    }

    /// <summary>The upper-triangular -inf mask that keeps token t from attending to tokens after t.</summary>
    public static Tensor CausalMask(long length, Device device)
    {
        using var full = torch.full(length, length, Scalars.Of(float.NegativeInfinity), device: device);
        return torch.triu(full, diagonal: 1);
    }

    private static Tensor BoundLogVariance(Tensor raw) =>
        torch.sigmoid(raw).mul(Scalars.Of(PredictionLayout.MaxLogVariance - PredictionLayout.MinLogVariance))
            .add(Scalars.Of(PredictionLayout.MinLogVariance), Scalars.Of(1)); // add(Scalar) alone passes a temporary alpha Scalar
}
