using Amrs.Engine.Episodes;
using Amrs.Engine.Features;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Tests.WorldModels;

public sealed class WorldModelTests
{
    private readonly ToyWorld _world = new(patients: 3, sessionsPerPatient: 2, stepsPerSession: 6);

    /// <param name="summary">With the history summary, and so the taste lookups and the patient filter (as trained models
    /// have them); without, the bare encoder and heads of models saved before the summary existed.</param>
    private (WorldModel Model, EncodedHistory History, EpisodeEncoder Encoder) Setup(bool positions = false, bool summary = false)
    {
        var model = EvaluationModel(TinyModels.Options with { UsePositionalEncoding = positions }, summary, seed: 3, out var encoder);
        return (model, encoder.EncodeHistory(_world.Patients[0], _world.Sessions), encoder);
    }

    /// <summary>A model of random weights (seeded) in evaluation mode, and the encoder for the toy world it reads.</summary>
    private WorldModel EvaluationModel(WorldModelOptions options, bool summary, int seed, out EpisodeEncoder encoder)
    {
        var spec = FeatureSpec.Fit(_world.Catalog, _world.Patients);
        var vocabulary = new TrackVocabulary(_world.Catalog.Select(t => t.TrackId));
        encoder = new EpisodeEncoder(spec, vocabulary, _world.Catalog);
        torch.manual_seed(seed);
        var model = new WorldModel(options, Layout(encoder, spec, summary), vocabulary.Rows);
        model.eval();
        return model;
    }

    private static TokenLayout Layout(EpisodeEncoder encoder, FeatureSpec spec, bool summary) =>
        new(encoder.Tracks.Size, encoder.PatientContextSize, summary ? HistorySummary.SizeFor(spec.GenreBuckets) : 0);

    private static float[,] PredictAll(WorldModel model, EncodedHistory history)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var tensors = HistoryTensors.ForTraining([new HistoryWindow(history, 0, history.Count)], model.Layout);
        var states = model.call(tensors.PreviousTrack, tensors.PreviousIds, tensors.Context);
        var predictions = model.Predict(states, model.EmbedTracks(tensors.Track!, tensors.TrackIds!), tensors.TrackRecords);
        var values = predictions.squeeze(1).contiguous().data<float>().ToArray();
        var result = new float[history.Count, PredictionLayout.Size];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    private static double MaxDifference(float[,] a, float[,] b, int fromStep, int toStep)
    {
        var max = 0.0;
        for (var s = fromStep; s < toStep; s++)
            for (var c = 0; c < a.GetLength(1); c++)
                max = Math.Max(max, Math.Abs(a[s, c] - b[s, c]));
        return max;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Changing_a_later_step_never_changes_an_earlier_prediction(bool positions, bool summary)
    {
        var (model, history, encoder) = Setup(positions, summary);
        using var _ = model;
        const int changed = 7;
        var before = PredictAll(model, history);

        var other = encoder.EncodeStep(encoder.FindTrack("t047"), history.Steps[changed].Context,
            new SignalValues(0.01, 0, 0.99, 0.01), history.Steps[changed].SessionId, history.Steps[changed].SessionOrdinal);
        var steps = history.Steps.ToArray();
        steps[changed] = other;
        var after = PredictAll(model, history with { Steps = steps });

        Assert.Equal(0, MaxDifference(before, after, 0, changed));
        // The change is visible from the changed step on (its track) - otherwise the test would prove nothing.
        Assert.True(MaxDifference(before, after, changed, changed + 1) > 1e-4);
        Assert.True(MaxDifference(before, after, changed + 1, history.Count) > 1e-4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_steps_prediction_never_sees_that_steps_own_outcomes(bool summary)
    {
        var (model, history, _) = Setup(summary: summary);
        using var _ = model;
        const int changed = 5;
        var before = PredictAll(model, history);

        var steps = history.Steps.ToArray();
        steps[changed] = steps[changed] with { Outcomes = [0.01f, 1f, 0.99f, 0.02f], Observed = [1f, 1f, 1f, 1f] };
        var after = PredictAll(model, history with { Steps = steps });

        Assert.Equal(0, MaxDifference(before, after, 0, changed + 1));
        Assert.True(MaxDifference(before, after, changed + 1, changed + 2) > 1e-4);
    }

    [Fact]
    public void Scoring_B_states_against_C_candidates_gives_B_by_C_and_matches_pairwise_prediction()
    {
        var (model, _, _) = Setup();
        using var _ = model;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var states = torch.randn(3, TinyModels.Options.ModelDim);
        var candidates = torch.randn(5, TinyModels.Options.TrackEmbeddingDim);

        var scores = model.ScoreCandidates(states, candidates);

        Assert.Equal(new long[] { 3, 5, PredictionLayout.Size }, scores.shape);
        var pair = model.Predict(states[1], candidates[4], records: null);
        Assert.True(torch.allclose(scores[1, 4], pair, rtol: 1e-5, atol: 1e-6));
        var logVariances = scores[TensorIndex.Ellipsis, PredictionLayout.ValenceLogVariance];
        Assert.True(logVariances.min().item<float>() >= PredictionLayout.MinLogVariance);
        Assert.True(logVariances.max().item<float>() <= PredictionLayout.MaxLogVariance);
    }

    [Theory]
    [InlineData(false, 1, false)]
    [InlineData(true, 2, false)]
    [InlineData(false, 2, true)]
    public void Incremental_encoding_with_cached_keys_equals_the_full_encoder(bool positions, int layers, bool summary)
    {
        using var model = EvaluationModel(TinyModels.Options with { UsePositionalEncoding = positions, Layers = layers }, summary, seed: 4,
            out var encoder);
        var history = encoder.EncodeHistory(_world.Patients[1], _world.Sessions).TakeLast(12);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var tokens = HistoryTensors.ForNextStep(history, history.Steps[^1].Context.Next(), model.Layout);
        Tensor Slice(Tensor t, long from, long to) => t[TensorIndex.Slice(from, to)];

        var full = model.call(tokens.PreviousTrack, tokens.PreviousIds, tokens.Context);
        var (prefixLast, cache) = model.Prefill(Slice(tokens.PreviousTrack, 0, 5), Slice(tokens.PreviousIds, 0, 5), Slice(tokens.Context, 0, 5));
        using var _ = cache;
        var chunk = model.Extend(Slice(tokens.PreviousTrack, 5, 8), Slice(tokens.PreviousIds, 5, 8), Slice(tokens.Context, 5, 8), cache);
        var pieces = new List<Tensor> { chunk };
        for (long t = 8; t < tokens.Length; t++)
            pieces.Add(model.Extend(Slice(tokens.PreviousTrack, t, t + 1), Slice(tokens.PreviousIds, t, t + 1), Slice(tokens.Context, t, t + 1), cache));
        var incremental = torch.cat(pieces, 0);

        Assert.Equal(full[5..].shape, incremental.shape);
        Assert.Equal(tokens.Length, cache.Length);
        Assert.True((full[5..] - incremental).abs().max().item<float>() < 1e-5, "incremental states differ from the encoder's");
        Assert.Equal(full[4].shape, prefixLast.shape);
        Assert.True((full[4] - prefixLast).abs().max().item<float>() < 1e-5, "the prefill's last state differs from the encoder's");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_last_tokens_state_alone_equals_the_full_passs_last_row(bool summary)
    {
        using var model = EvaluationModel(TinyModels.Options with { Layers = 2 }, summary, seed: 6, out var encoder);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // Two patients' histories as one batch, so the filter's sums run over observed outcomes in both rows.
        var (previousTrack, previousIds, context) = TwoHistories(encoder, model, steps: 10);

        var full = model.call(previousTrack, previousIds, context);
        var last = model.LastStates(previousTrack, previousIds, context);

        Assert.Equal(full[-1].shape, last.shape);
        var difference = (full[-1] - last).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"the last state alone differs from the full pass's last row by {difference}");
        // Earlier tokens matter to the last state (the encoder attends to them, the filter sums their outcomes), so the
        // equality above is not that of a state that read the last token only.
        var alone = model.LastStates(previousTrack[^1..], previousIds[^1..], context[^1..]);
        Assert.True((full[-1] - alone).abs().max().item<float>() > 1e-3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rows_continuing_a_shared_prefix_equal_the_full_encoder_on_their_own_sequences(bool summary)
    {
        using var model = EvaluationModel(TinyModels.Options with { Layers = 2 }, summary, seed: 5, out var encoder);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // Two histories (groups) of 6 tokens; group 0 continues in 3 rows, group 1 in 2, interleaved.
        var history = TwoHistories(encoder, model, steps: 5);
        long[] groupOfRow = [0, 1, 0, 0, 1];
        const int ownTokens = 3;
        var own = (Track: torch.randn(ownTokens, groupOfRow.Length, model.Layout.TrackSize),
            Ids: torch.randint(1, encoder.Vocabulary.Rows, [ownTokens, groupOfRow.Length]), Context: torch.randn(ownTokens, groupOfRow.Length, model.Layout.ContextSize));
        // Each own token reports a step: outcomes in 0..1, some observed.
        own.Context[TensorIndex.Ellipsis, TensorIndex.Slice(TokenLayout.PreviousOutcomes, TokenLayout.PreviousOutcomes + Signals.Count)] =
            torch.rand(ownTokens, groupOfRow.Length, Signals.Count);
        own.Context[TensorIndex.Ellipsis, TensorIndex.Slice(TokenLayout.PreviousObserved, TokenLayout.PreviousObserved + Signals.Count)] =
            (torch.rand(ownTokens, groupOfRow.Length, Signals.Count) > Scalars.Of(0.5)).to_type(ScalarType.Float32);
        own.Context[TensorIndex.Ellipsis, TokenLayout.HasPrevious] = torch.ones(ownTokens, groupOfRow.Length);

        var (_, baseCache) = model.Prefill(history.Track, history.Ids, history.Context);
        using var shared = baseCache.Share(torch.tensor(groupOfRow), extraTokens: 2); // one token more than room: the cache must grow
        baseCache.Dispose();
        var first = model.Extend(own.Track[..1], own.Ids[..1], own.Context[..1], shared);
        var rest = model.Extend(own.Track[1..], own.Ids[1..], own.Context[1..], shared);
        var incremental = torch.cat([first, rest], 0);

        var select = torch.tensor(groupOfRow);
        var full = model.call(torch.cat([history.Track.index_select(1, select), own.Track], 0),
            torch.cat([history.Ids.index_select(1, select), own.Ids], 0), torch.cat([history.Context.index_select(1, select), own.Context], 0));
        Assert.Equal(history.Track.shape[0] + ownTokens, shared.Length);
        // Equal up to float32 rounding, which grows with the size of the values (the filter solves small systems):
        // relative to the largest value, not absolute (an absolute 1e-5 failed once at 1.4e-5 on a busy machine).
        var expected = full[^ownTokens..];
        var difference = (expected - incremental).abs().max().item<float>();
        var scale = Math.Max(1f, expected.abs().max().item<float>());
        Assert.True(difference / scale < 1e-5, $"rows on a shared prefix differ from the encoder by {difference} (largest value {scale})");
    }

    /// <summary>
    /// Patients 1 and 2's last <paramref name="steps"/> logged steps, each followed by the token of a Calm session's first
    /// step, as one batch of two rows: previous tracks, their rows and the tokens' context.
    /// </summary>
    private (Tensor Track, Tensor Ids, Tensor Context) TwoHistories(EpisodeEncoder encoder, WorldModel model, int steps)
    {
        var next = new StepContext(Amrs.Core.Affect.SessionMode.Calm, new(0.3, 0.2), StartsSession: true, PositionInSession: 0);
        var tokens = Enumerable.Range(1, 2)
            .Select(p => HistoryTensors.ForNextStep(encoder.EncodeHistory(_world.Patients[p], _world.Sessions).TakeLast(steps), next, model.Layout))
            .ToArray();
        return (torch.cat(tokens.Select(t => t.PreviousTrack).ToArray(), 1), torch.cat(tokens.Select(t => t.PreviousIds).ToArray(), 1),
            torch.cat(tokens.Select(t => t.Context).ToArray(), 1));
    }

    [Fact]
    public void Causal_mask_is_minus_infinity_strictly_above_the_diagonal()
    {
        using var mask = WorldModel.CausalMask(4, torch.CPU);
        var values = mask.data<float>().ToArray();
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++)
                Assert.Equal(j > i ? float.NegativeInfinity : 0f, values[i * 4 + j]);
    }

    [Fact]
    public void A_prediction_moves_with_the_patients_taste_for_the_candidates_own_genre_only()
    {
        const int liked = 2, other = 1;
        using var model = TasteModel(seed: 5);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // A state whose taste says: engages 0.3 above their level with genre 2 and rates it 0.2 below even.
        var states = torch.randn(1, 1, model.StateDim);
        var modelDim = TinyModels.Options.ModelDim;
        states[0, 0, modelDim + TasteGenres + other] = torch.tensor(0f);
        states[0, 0, modelDim + other] = torch.tensor(0f);
        states[0, 0, modelDim + liked] = torch.tensor(0.3f);
        states[0, 0, modelDim + TasteGenres + liked] = torch.tensor(-0.2f);
        var embedding = TinyModels.Options.TrackEmbeddingDim;
        var candidates = torch.cat([torch.randn(1, 2, embedding), torch.zeros(1, 2, TasteGenres), torch.randn(1, 2, HistorySummary.TasteTerms)], dim: -1);
        candidates[0, 0, embedding + liked] = torch.tensor(1f);
        candidates[0, 1, embedding + other] = torch.tensor(1f);
        var before = model.Predict(states, candidates, records: null).contiguous().data<float>().ToArray();

        var lookup = model.named_parameters().Single(p => p.name.Contains("lookup", StringComparison.Ordinal)).parameter;
        Assert.Equal(0, lookup.abs().sum().item<float>()); // starts at no effect
        lookup[PredictionLayout.RatingLogit, 0] = torch.tensor(1f);
        lookup[PredictionLayout.RatingLogit, 1] = torch.tensor(2f);
        var after = model.Predict(states, candidates, records: null).contiguous().data<float>().ToArray();

        // Scaled by ten: 10 (1 x 0.3 + 2 x -0.2) = -1 on the rating logit of the genre-2 candidate, nothing elsewhere.
        AssertShiftedOnly(before, after, PredictionLayout.RatingLogit, first: -1f, second: 0f);
    }

    [Fact]
    public void A_prediction_moves_with_the_patients_taste_for_the_candidates_own_arousal()
    {
        using var model = TasteModel(seed: 6);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // The state holds the taste beyond genre: this patient engages more with arousing music (term 1).
        var states = torch.randn(1, 1, model.StateDim);
        var arousalTaste = model.DescriptorTasteColumn + 1;
        states[0, 0, arousalTaste] = torch.tensor(0.02f);
        // Two candidates, their embeddings ending with the descriptors: centred arousal +0.2 and -0.2.
        var embedding = TinyModels.Options.TrackEmbeddingDim;
        var candidates = torch.cat([torch.randn(1, 2, embedding), torch.zeros(1, 2, TasteGenres), torch.randn(1, 2, HistorySummary.TasteTerms)], dim: -1);
        candidates[0, 0, embedding + TasteGenres + 1] = torch.tensor(0.2f);
        candidates[0, 1, embedding + TasteGenres + 1] = torch.tensor(-0.2f);
        var before = model.Predict(states, candidates, records: null).contiguous().data<float>().ToArray();

        var lookup = model.named_parameters().Single(p => p.name.Contains("lookup", StringComparison.Ordinal)).parameter;
        lookup[PredictionLayout.RatingLogit, 2 + 1] = torch.tensor(1f);
        var after = model.Predict(states, candidates, records: null).contiguous().data<float>().ToArray();

        // Scaled by 250: 250 x 0.02 x 0.2 = +1 on the arousing candidate's rating logit, -1 on the calm one's, nothing elsewhere.
        AssertShiftedOnly(before, after, PredictionLayout.RatingLogit, first: 1f, second: -1f);
    }

    [Fact]
    public void A_prediction_moves_with_the_patients_record_of_that_very_track()
    {
        using var model = TasteModel(seed: 7);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (states, candidates, records) = OneStateTwoCandidates(model);
        // Candidate 0 was heard twice and rated 0.3 above even on average; candidate 1 never.
        records[0, 0, 1] = torch.tensor((float)Math.Log(3));
        records[0, 0, 3] = torch.tensor(0.3f);
        var without = model.Predict(states, candidates, records: null).contiguous().data<float>().ToArray();
        var unlearned = model.Predict(states, candidates, records).contiguous().data<float>().ToArray();

        var lookup = model.named_parameters().Single(p => p.name.Contains("lookup", StringComparison.Ordinal)).parameter;
        lookup[PredictionLayout.RatingLogit, model.RecordColumn + 3] = torch.tensor(1f);
        var after = model.Predict(states, candidates, records).contiguous().data<float>().ToArray();

        // The map starts at no effect; then 4 x 0.3 = 1.2 on the heard candidate's rating logit, nothing elsewhere.
        Assert.Equal(without, unlearned);
        AssertShiftedOnly(without, after, PredictionLayout.RatingLogit, first: 1.2f, second: 0f);
    }

    [Fact]
    public void A_heads_first_layer_reads_the_patients_record_of_the_candidate_once_it_has_learned_to()
    {
        using var model = TasteModel(seed: 8);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (states, candidates, records) = OneStateTwoCandidates(model);
        var without = model.Predict(states, candidates, records: null).contiguous().data<float>().ToArray();
        var unlearned = model.Predict(states, candidates, records).contiguous().data<float>().ToArray();

        var valencePair = model.named_parameters().Single(p => p.name.Contains("valence", StringComparison.Ordinal) && p.name.Contains("Pair", StringComparison.Ordinal)).parameter;
        valencePair[TensorIndex.Colon, TensorIndex.Slice(model.RecordColumn)] = torch.randn(valencePair.shape[0], TrackRecord.Size);
        var after = model.Predict(states, candidates, records).contiguous().data<float>().ToArray();

        // Starts at no effect; then only the heard candidate's valence (mean and variance) moves, and no other head.
        Assert.Equal(without, unlearned);
        for (var c = 0; c < PredictionLayout.Size; c++)
        {
            var valence = c is PredictionLayout.ValenceLogit or PredictionLayout.ValenceLogVariance;
            if (valence) Assert.NotEqual(unlearned[c], after[c]);
            else Assert.Equal(unlearned[c], after[c]);
            Assert.Equal(unlearned[PredictionLayout.Size + c], after[PredictionLayout.Size + c]);
        }
    }

    [Fact]
    public void Scoring_many_candidates_for_one_state_equals_predicting_each_pair_with_the_lookups_in_use()
    {
        using var model = TasteModel(seed: 9);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var lookup = model.named_parameters().Single(p => p.name.Contains("lookup", StringComparison.Ordinal)).parameter;
        lookup.copy_(torch.randn(lookup.shape));
        var states = torch.randn(1, 1, model.StateDim);
        var embedding = TinyModels.Options.TrackEmbeddingDim;
        var candidates = torch.cat([torch.randn(1, 6, embedding), (torch.rand(1, 6, TasteGenres) > 0.5).to_type(ScalarType.Float32),
            torch.randn(1, 6, HistorySummary.TasteTerms)], dim: -1);

        var many = model.Predict(states, candidates, records: null);

        for (var c = 0; c < 6; c++)
        {
            var alone = model.Predict(states[0, 0], candidates[0, c], records: null);
            Assert.True(torch.allclose(many[0, c], alone, rtol: 1e-5, atol: 1e-5), $"candidate {c}");
        }
    }

    /// <summary>A random state, two random candidates and their records: candidate 0 heard before, candidate 1 never.</summary>
    private static (Tensor States, Tensor Candidates, Tensor Records) OneStateTwoCandidates(WorldModel model)
    {
        var records = torch.zeros(1, 2, TrackRecord.Size);
        records[0, 0, 0] = torch.tensor(1f);
        return (torch.randn(1, 1, model.StateDim),
            torch.randn(1, 2, TinyModels.Options.TrackEmbeddingDim + TasteGenres + HistorySummary.TasteTerms), records);
    }

    /// <summary>
    /// Two candidates' predictions moved from <paramref name="before"/> to <paramref name="after"/> by the given amounts
    /// on <paramref name="output"/> and not at all elsewhere.
    /// </summary>
    private static void AssertShiftedOnly(float[] before, float[] after, int output, float first, float second)
    {
        for (var c = 0; c < PredictionLayout.Size; c++)
        {
            Assert.Equal(c == output ? first : 0f, after[c] - before[c], tolerance: 1e-4f);
            Assert.Equal(c == output ? second : 0f, after[PredictionLayout.Size + c] - before[PredictionLayout.Size + c], tolerance: 1e-4f);
        }
    }

    private const int TasteGenres = 4;

    /// <summary>A small model with a summary of <see cref="TasteGenres"/> genre buckets, in evaluation mode.</summary>
    private static WorldModel TasteModel(int seed)
    {
        var layout = new TokenLayout(TrackFeaturizer.GenreOffset + TasteGenres, PatientSize: 3, HistorySummary.SizeFor(TasteGenres));
        torch.manual_seed(seed);
        var model = new WorldModel(TinyModels.Options, layout, vocabularyRows: 10);
        model.eval();
        return model;
    }
}
