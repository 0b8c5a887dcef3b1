using System.Runtime.InteropServices;
using System.Text.Json;
using Amrs.Core.Catalog;
using Amrs.Engine.Episodes;
using Amrs.Engine.Features;
using Amrs.Engine.Store;
using Amrs.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// K independently trained world models (different seeds, bootstrap samples) with the featurisation they
/// were trained with. Disagreement between members is the epistemic uncertainty. All public calls are
/// serialised: a module must not be used from two threads at once.
/// </summary>
public sealed class WorldModelEnsemble : IDisposable
{
    public const string DescriptionFile = "world-model.json";

    private readonly WorldModel[] _members;

    public WorldModelEnsemble(FeatureSpec spec, TrackVocabulary vocabulary, WorldModelOptions options,
        IEnumerable<WorldModel> members, OodCalibration? ood = null)
    {
        Spec = spec;
        Vocabulary = vocabulary;
        Options = options;
        _members = members.ToArray();
        if (_members.Length == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        Layout = _members[0].Layout;
        Ood = ood;
        foreach (var member in _members) member.eval();
    }

    public FeatureSpec Spec { get; }
    public TrackVocabulary Vocabulary { get; }
    public WorldModelOptions Options { get; }
    public TokenLayout Layout { get; }
    public IReadOnlyList<WorldModel> Members => _members;
    public OodCalibration? Ood { get; internal set; }

    /// <summary>Held by every use of the members (scoring, rollouts, evaluation): one user at a time.</summary>
    internal Lock Gate { get; } = new();
    public TrackFeaturizer Featurizer => new(Spec);

    /// <summary>An encoder that featurises patients, sessions and tracks the way this model was trained.</summary>
    public EpisodeEncoder CreateEncoder(IEnumerable<Track> catalog) => new(Spec, Vocabulary, catalog);

    public CandidateSet PrepareCandidates(IReadOnlyList<Track> tracks) =>
        CandidateSet.FromTracks(tracks, Featurizer, Vocabulary);

    /// <summary>
    /// Raw predictions of every member for every candidate as the next step after <paramref name="history"/>
    /// (truncated to <see cref="WorldModelOptions.MaxHistory"/>): [K,C,7].
    /// </summary>
    public Tensor ScoreRaw(EncodedHistory history, StepContext next, CandidateSet candidates) =>
        ScoreRawMany([new CandidateQuery(history, next, candidates)])[0];

    /// <summary>
    /// <see cref="ScoreRaw"/> for several queries (for example the playlists of many previews) in shared forward passes:
    /// queries whose truncated histories are equally long are encoded as one batch. One [K,C,7] tensor per query.
    /// </summary>
    public IReadOnlyList<Tensor> ScoreRawMany(IReadOnlyList<CandidateQuery> queries) =>
        ScoreRawMany(queries, withHistory: false).Select(r => r.Candidates).ToArray();

    /// <summary>
    /// <see cref="ScoreRawMany(IReadOnlyList{CandidateQuery})"/>, and with <paramref name="withHistory"/> also every
    /// member's one-step-ahead predictions [K,n,7] for the n steps of each query's truncated history (each step
    /// predicted from the steps before it, as in training), from the same forward pass.
    /// </summary>
    internal IReadOnlyList<(Tensor Candidates, Tensor? History)> ScoreRawMany(IReadOnlyList<CandidateQuery> queries, bool withHistory)
    {
        var results = new (Tensor, Tensor?)[queries.Count];
        lock (Gate)
        {
            using var mode = torch.inference_mode();
            // Queries on the same history object in the same context (a preview's playlist and its comparison) share one encoding.
            var encodings = queries.Select((q, i) => (q, i)).GroupBy(x => (x.q.History, x.q.Next), SameHistory.Instance)
                .Select(g => (History: g.Key.History.TakeLast(ServingHistory(Options, 1)), g.Key.Next, Queries: g.Select(x => x.i).ToArray()))
                .ToArray();
            foreach (var batch in encodings.GroupBy(e => e.History.Count))
            {
                var encoded = batch.ToArray();
                var steps = batch.Key;
                using var scope = torch.NewDisposeScope();
                var tokens = encoded.Select(e => HistoryTensors.ForNextStep(e.History, e.Next, Layout)).ToArray();
                var previousTrack = torch.cat(tokens.Select(t => t.PreviousTrack).ToArray(), 1);
                var previousIds = torch.cat(tokens.Select(t => t.PreviousIds).ToArray(), 1);
                var context = torch.cat(tokens.Select(t => t.Context).ToArray(), 1);
                var historyRecords = torch.cat(tokens.Select(t => t.TrackRecords!).ToArray(), 1);
                // The patient's record of each query's candidates (null: none heard before), the same for every member.
                var candidateRecords = new Tensor?[queries.Count];
                for (var b = 0; b < encoded.Length; b++)
                {
                    foreach (var q in encoded[b].Queries) candidateRecords[q] = queries[q].Candidates.RecordsFrom(tokens[b].Summary!)?.unsqueeze(0);
                }
                foreach (var t in tokens) t.Dispose();
                var perQuery = queries.Select(_ => new Tensor[_members.Length]).ToArray();
                var historyPerEncoding = encoded.Select(_ => new Tensor[_members.Length]).ToArray();
                for (var k = 0; k < _members.Length; k++)
                {
                    // Scoring alone needs only the last token's state; the history's predictions need every token's.
                    var states = withHistory ? _members[k].call(previousTrack, previousIds, context) : null;
                    var last = states is null ? _members[k].LastStates(previousTrack, previousIds, context) : states[-1];
                    for (var b = 0; b < encoded.Length; b++)
                    {
                        foreach (var q in encoded[b].Queries)
                        {
                            var parts = queries[q].Candidates.CachedPartsFor(_members[k]).Select(p => p.unsqueeze(0)).ToArray();
                            perQuery[q][k] = _members[k].PredictFromCandidateParts(last[b].reshape(1, 1, -1), parts, candidateRecords[q]).squeeze(0);
                        }
                    }
                    if (states is null || steps == 0) continue;
                    // Token t's state predicts step t, whose track is the previous track of token t + 1.
                    var played = _members[k].EmbedTracks(previousTrack[1..], previousIds[1..]);
                    var predicted = _members[k].Predict(states[..^1], played, historyRecords);
                    for (var b = 0; b < encoded.Length; b++) historyPerEncoding[b][k] = predicted[.., b];
                }
                for (var b = 0; b < encoded.Length; b++)
                {
                    var history = withHistory && steps > 0 ? torch.stack(historyPerEncoding[b]) : null;
                    for (var j = 0; j < encoded[b].Queries.Length; j++)
                    {
                        var q = encoded[b].Queries[j];
                        // Each query owns its tensors (the caller disposes them): the history's predictions are copied for the second and later.
                        var own = history is null ? null : (j == 0 ? history : history.clone()).MoveToOuterDisposeScope();
                        results[q] = (torch.stack(perQuery[q]).MoveToOuterDisposeScope(), own);
                    }
                }
            }
        }
        return results;
    }

    /// <summary>Ensemble predictions (means, spreads, 80% bands) of the four signals for every candidate.</summary>
    public IReadOnlyList<TrackPrediction> Score(EncodedHistory history, StepContext next, CandidateSet candidates)
    {
        using var scope = torch.NewDisposeScope();
        var raw = ScoreRaw(history, next, candidates);
        var values = PredictiveDistribution.Combine(raw).ToFloatArray();
        var block = Signals.Count * 3;
        return Enumerable.Range(0, candidates.Count)
            .Select(c => TrackPrediction.FromCombined(candidates.TrackIds[c], values, c * block))
            .ToArray();
    }

    /// <summary>Whether a playlist for a patient lies outside what the model was trained on, in plain words.</summary>
    public OodAssessment AssessPlaylist(EncodedHistory history, StepContext next, CandidateSet playlist) =>
        AssessPlaylists([new CandidateQuery(history, next, playlist)])[0];

    /// <summary><see cref="AssessPlaylist"/> for several playlists (of many previews) in shared forward passes.</summary>
    public IReadOnlyList<OodAssessment> AssessPlaylists(IReadOnlyList<CandidateQuery> playlists)
    {
        var calibration = Ood ?? throw new InvalidOperationException(
            "This world model has no out-of-distribution calibration (it was trained without validation data).");
        return OutOfDistribution.MeasureMany(this, calibration, playlists).Select(c => OutOfDistribution.Assess(calibration, c)).ToArray();
    }

    /// <summary>Writes member weights (member-k.weights) and the description JSON into an existing folder.</summary>
    public IReadOnlyList<string> Save(string folder)
    {
        lock (Gate)
        {
            var files = new List<string>();
            for (var k = 0; k < _members.Length; k++)
            {
                var name = MemberFile(k);
                _members[k].save(Path.Combine(folder, name));
                files.Add(name);
            }
            var description = new WorldModelDescription(Spec, Options, Layout.TrackSize, Layout.PatientSize,
                Vocabulary.TrackIds, _members.Length, Ood, Layout.SummarySize, TrackRecord.Size);
            File.WriteAllText(Path.Combine(folder, DescriptionFile), JsonSerializer.Serialize(description, StoreJson.Options));
            files.Add(DescriptionFile);
            return files;
        }
    }

    /// <summary>Loads an ensemble from a folder written by <see cref="Save"/> (hashes are checked by the store).</summary>
    public static WorldModelEnsemble Load(string folder)
    {
        var descriptionPath = Path.Combine(folder, DescriptionFile);
        var description = JsonSerializer.Deserialize<WorldModelDescription>(File.ReadAllText(descriptionPath), StoreJson.Options)
            ?? throw new InvalidDataException($"'{descriptionPath}' holds no world-model description.");
        // The summary's layout is code, not data: a model trained with another layout would load and silently
        // read misplaced features, so refuse it.
        if (description.SummarySize != 0 && description.SummarySize != HistorySummary.SizeFor(description.Spec.GenreBuckets))
            throw new InvalidDataException(
                $"'{descriptionPath}' was trained with a different history summary ({description.SummarySize} values; this code " +
                $"makes {HistorySummary.SizeFor(description.Spec.GenreBuckets)}). Retrain the world model with this version.");
        if (description.TrackRecordSize != TrackRecord.Size)
            throw new InvalidDataException(
                $"'{descriptionPath}' was trained without the patient's record of each candidate track (this code gives the model " +
                $"{TrackRecord.Size} values per candidate; the file says {description.TrackRecordSize}). Retrain the world model with this version.");
        var vocabulary = new TrackVocabulary(description.TrackIds);
        var layout = new TokenLayout(description.TrackSize, description.PatientSize, description.SummarySize);
        var members = new List<WorldModel>();
        for (var k = 0; k < description.Members; k++)
        {
            var member = new WorldModel(description.Options, layout, vocabulary.Rows);
            try
            {
                member.load(Path.Combine(folder, MemberFile(k)));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ExternalException)
            {
                member.Dispose();
                foreach (var loaded in members) loaded.Dispose();
                throw new InvalidDataException(
                    $"'{Path.Combine(folder, MemberFile(k))}' holds weights that do not fit this code's world model, probably written by an " +
                    "earlier version (since the twelfth session every head also reads the patient's taste for the candidate and their " +
                    $"record of it). Retrain the world model with this version. ({e.Message})", e);
            }
            members.Add(member);
        }
        return new WorldModelEnsemble(description.Spec, vocabulary, description.Options, members, description.Ood);
    }

    /// <summary>
    /// How many history steps to keep when <paramref name="newSteps"/> steps follow. Training sequences hold
    /// at most MaxHistory tokens, so with learned positions the whole sequence must stay within that;
    /// without positions the model simply sees the last MaxHistory steps.
    /// </summary>
    internal static int ServingHistory(WorldModelOptions options, int newSteps) =>
        options.UsePositionalEncoding ? Math.Max(0, options.MaxHistory - newSteps) : options.MaxHistory;

    public static string MemberFile(int member) => $"member-{member}.weights";

    public void Dispose()
    {
        foreach (var member in _members) member.Dispose();
    }
}

/// <summary>Candidates to score as the next step after a history, in the context <paramref name="Next"/>.</summary>
public sealed record CandidateQuery(EncodedHistory History, StepContext Next, CandidateSet Candidates);

/// <summary>Everything besides the weights needed to rebuild an ensemble.</summary>
public sealed record WorldModelDescription(
    FeatureSpec Spec,
    WorldModelOptions Options,
    int TrackSize,
    int PatientSize,
    IReadOnlyList<string> TrackIds,
    int Members,
    OodCalibration? Ood,
    int SummarySize = 0,
    int TrackRecordSize = 0);
