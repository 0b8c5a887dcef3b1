using Amrs.Core.Affect;
using Amrs.Engine.Episodes;
using Amrs.Engine.Features;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Tests.Episodes;

public sealed class HistorySummaryTests
{
    private readonly ToyWorld _world = new(patients: 2, sessionsPerPatient: 3, stepsPerSession: 5);

    private (EncodedHistory History, TokenLayout Layout) Setup()
    {
        var spec = FeatureSpec.Fit(_world.Catalog, _world.Patients);
        var encoder = new EpisodeEncoder(spec, new TrackVocabulary(_world.Catalog.Select(t => t.TrackId)), _world.Catalog);
        var layout = new TokenLayout(encoder.Tracks.Size, encoder.PatientContextSize, HistorySummary.SizeFor(spec.GenreBuckets));
        return (encoder.EncodeHistory(_world.Patients[0], _world.Sessions), layout);
    }

    private static float[] SummaryAt(HistoryTensors tensors, TokenLayout layout, int token)
    {
        using var slice = tensors.Context[token, 0, TensorIndex.Slice(layout.Summary, layout.ContextSize)];
        return slice.contiguous().data<float>().ToArray();
    }

    /// <summary>Observation masks: every signal observed, or engagement alone.</summary>
    private static readonly float[] All = [1, 1, 1, 1], EngagementOnly = [1, 0, 0, 0];

    /// <summary>The summary's mood rates, written out so the expected values are computed by hand.</summary>
    private static readonly double[] MoodRates = [0.05, 0.1, 0.15, 0.25, 0.35, 0.5];

    /// <summary>Track features with only valence and arousal set (the layout's first two), up to the year.</summary>
    private static float[] Track(float valence, float arousal)
    {
        var track = new float[TrackFeaturizer.YearOffset + 1];
        track[0] = valence;
        track[1] = arousal;
        return track;
    }

    /// <summary>The summary as written for a step at <paramref name="position"/> in its session.</summary>
    private static float[] Written(HistorySummary summary, int position) => Written(summary, At(position));

    private static float[] Written(HistorySummary summary, StepContext next)
    {
        var values = new float[summary.Size];
        summary.WriteTo(values, next);
        return values;
    }

    private static StepContext At(int position) => new(SessionMode.Calm, new AffectPoint(0.4, 0.3), position == 0, position);

    [Fact]
    public void Shrunk_means_counts_and_genre_engagement_are_hand_computable()
    {
        var (history, layout) = Setup();
        var steps = history.Steps.Take(3).ToArray();

        var values = Written(layout.Summarise(steps), steps.Length);

        var engagement = steps.Select(s => (double)s.Outcomes[Signals.Engagement]).ToArray();
        Assert.Equal((engagement.Sum() + 1) / 5, values[Signals.Engagement], 5);
        Assert.Equal(Math.Log(4), values[Signals.Count + Signals.Engagement], 5);
        var buckets = HistorySummary.GenreBucketsFor(layout.SummarySize);
        var genre = steps[0].Track.AsSpan(TrackFeaturizer.GenreOffset, buckets).IndexOf(1f);
        // Each engagement is levelled for its position and taken from the patient's level before it (shrunk by five
        // pseudo-observations at 0.65).
        var levelled = steps.Select(s => s.Outcomes[Signals.Engagement] + 0.02 * s.Context.PositionInSession).ToArray();
        var deviations = levelled.Select((e, i) => e - (levelled.Take(i).Sum() + 0.65 * 5) / (i + 5)).ToArray();
        var sameGenre = Enumerable.Range(0, steps.Length).Where(i => steps[i].Track[TrackFeaturizer.GenreOffset + genre] == 1f).ToArray();
        Assert.Equal(sameGenre.Sum(i => deviations[i]) / (sameGenre.Length + 2), values[HistorySummary.SignalBlock + genre], tolerance: 1e-5);
        var rated = sameGenre.Where(i => steps[i].Observed[Signals.Rating] == 1f).ToArray();
        Assert.Equal(rated.Sum(i => steps[i].Outcomes[Signals.Rating] - 0.5) / (rated.Length + 2),
            values[HistorySummary.SignalBlock + buckets + genre], tolerance: 1e-5);
    }

    [Fact]
    public void A_patient_who_engages_more_with_everything_shows_no_genre_liking()
    {
        // Two genres heard alternately at the same high engagement, late in the session or early: neither stands out.
        var summary = new HistorySummary(genreBuckets: 2);
        float[] Track(int genre) { var t = new float[TrackFeaturizer.GenreOffset + 2]; t[TrackFeaturizer.GenreOffset + genre] = 1; return t; }
        for (var position = 0; position < 40; position++)
            summary.Add("track", Track(position % 2), [0.95f - 0.02f * position, 0, 0, 0], [1, 0, 0, 0], positionInSession: position);

        var values = Written(summary, position: 40);

        Assert.InRange(values[HistorySummary.SignalBlock], -0.1, 0.1);
        Assert.InRange(values[HistorySummary.SignalBlock + 1], -0.1, 0.1);
        Assert.Equal(values[HistorySummary.SignalBlock], values[HistorySummary.SignalBlock + 1], tolerance: 0.05);
    }

    [Fact]
    public void The_sessions_mood_starts_at_the_opening_mood_follows_the_music_and_forgets_the_last_session()
    {
        var summary = new HistorySummary(genreBuckets: 0);
        // Session 1 opens with valence 0.6 and arousal 0.4 observed; session 2 opens unobserved, then one observation.
        summary.Add("track", Track(0.8f, 0.2f), [0.5f, 0, 0.6f, 0.4f], All, positionInSession: 0);
        summary.Add("track", Track(0.2f, 0.6f), [0.5f, 0, 0, 0], EngagementOnly, positionInSession: 0);
        var afterOpening = Written(summary, position: 1);
        summary.Add("track", Track(0.9f, 0.1f), [0.5f, 0, 0.7f, 0.3f], All, positionInSession: 1);
        var afterSecond = Written(summary, position: 2);

        var rates = MoodRates;
        double[] opening = [(0.6 + 1) / 3, (0.4 + 1) / 3];
        const int last = HistorySummary.SessionMoodOffset + 12, residuals = last + 3, spreads = residuals + 12;
        for (var r = 0; r < rates.Length; r++)
        {
            double[] mood = [opening[0] + rates[r] * (0.2 - opening[0]), opening[1] + rates[r] * (0.6 - opening[1])];
            double[] moodAfterSecond = [mood[0] + rates[r] * (0.9 - mood[0]), mood[1] + rates[r] * (0.1 - mood[1])];
            Assert.Equal(mood[0], afterOpening[HistorySummary.SessionMoodOffset + 2 * r], tolerance: 1e-6);
            Assert.Equal(mood[1], afterOpening[HistorySummary.SessionMoodOffset + 2 * r + 1], tolerance: 1e-6);
            Assert.Equal(moodAfterSecond[0], afterSecond[HistorySummary.SessionMoodOffset + 2 * r], tolerance: 1e-6);
            Assert.Equal(moodAfterSecond[1], afterSecond[HistorySummary.SessionMoodOffset + 2 * r + 1], tolerance: 1e-6);

            // Observed mood against the music's path: session 1's opening (from 0.5, before any opening was seen),
            // then the observation just made; means shrunk by two, spreads toward 0.1.
            double[] first = [0.6 - (0.5 + rates[r] * (0.8 - 0.5)), 0.4 - (0.5 + rates[r] * (0.2 - 0.5))];
            double[] second = [0.7 - moodAfterSecond[0], 0.3 - moodAfterSecond[1]];
            Assert.Equal((first[0] + second[0]) / 4, afterSecond[residuals + 2 * r], tolerance: 1e-6);
            Assert.Equal((first[1] + second[1]) / 4, afterSecond[residuals + 2 * r + 1], tolerance: 1e-6);
            var squares = (first[0] * first[0] + first[1] * first[1] + second[0] * second[0] + second[1] * second[1]) / 2;
            Assert.Equal(Math.Sqrt((squares + 0.02) / 4), afterSecond[spreads + r], tolerance: 1e-6);
        }
        // The affect observed in session 1 is forgotten when session 2 opens; the one just observed counts fully.
        Assert.Equal([0f, 0f, 0f], afterOpening.AsSpan(last, 3).ToArray());
        Assert.Equal(1, afterSecond[last], tolerance: 1e-6);
        Assert.Equal(0.2, afterSecond[last + 1], tolerance: 1e-6);
        Assert.Equal(-0.2, afterSecond[last + 2], tolerance: 1e-6);
    }

    [Fact]
    public void For_a_sessions_first_track_the_session_block_starts_at_the_baseline_not_where_the_last_session_ended()
    {
        var summary = new HistorySummary(genreBuckets: 0);
        // One session: both openings observed (valence 0.6 then 0.7, arousal 0.4 then 0.3), then a track far from them.
        summary.Add("track", Track(0.8f, 0.2f), [0.75f, 0, 0.6f, 0.4f], All, positionInSession: 0);
        summary.Add("track", Track(0.4f, 0.9f), [0.55f, 0, 0.7f, 0.3f], All, positionInSession: 1);
        summary.Add("track", Track(0.1f, 0.9f), [0.60f, 0, 0, 0], EngagementOnly, positionInSession: 2);

        var continuing = Written(summary, position: 3);
        var opening = Written(summary, position: 0);

        const int mood = HistorySummary.SessionMoodOffset, last = mood + 12, paths = last + 3 + 12 + 6;
        double[] openingMood = [(0.6 + 0.7 + 1) / 4, (0.4 + 0.3 + 1) / 4];
        for (var r = 0; r < MoodRates.Length; r++)
        {
            for (var a = 0; a < 2; a++)
            {
                Assert.Equal(openingMood[a], opening[mood + 2 * r + a], tolerance: 1e-6);
                // The mood on the fitted-baseline path is the fitted baseline itself, which does not change.
                Assert.Equal(opening[paths + 12 + 2 * r + a], opening[paths + 2 * r + a]);
                Assert.Equal(continuing[paths + 12 + 2 * r + a], opening[paths + 12 + 2 * r + a]);
            }
            Assert.Equal(0f, opening[paths + 24 + r]);
            Assert.NotEqual(0f, continuing[paths + 24 + r]);
        }
        // Nothing was observed in the new session yet.
        Assert.Equal([0f, 0f, 0f], opening.AsSpan(last, 3).ToArray());
        Assert.NotEqual(0f, continuing[last]);
        // Everything outside the session's own mood (the patient's means, residuals, tastes) is the same either way.
        Assert.Equal(continuing[..mood], opening[..mood]);
        Assert.Equal(continuing.AsSpan(last + 3, 12 + 6).ToArray(), opening.AsSpan(last + 3, 12 + 6).ToArray());
    }

    [Fact]
    public void The_baseline_is_fitted_along_each_rates_path_and_the_sessions_lift_follows_engagement()
    {
        var summary = new HistorySummary(genreBuckets: 0);
        // One session: two tracks, affect observed after the second only; engagement 0.75 then 0.55.
        summary.Add("track", Track(0.8f, 0.2f), [0.75f, 0, 0, 0], EngagementOnly, positionInSession: 0);
        summary.Add("track", Track(0.4f, 0.9f), [0.55f, 0, 0.7f, 0.6f], All, positionInSession: 1);
        var values = Written(summary, position: 2);

        var rates = MoodRates;
        const double drift = HistorySummary.PathDrift;
        const int paths = HistorySummary.SessionMoodOffset + 12 + 3 + 12 + 6;
        // Engagement deviations from the patient's level (0.65 by five pseudo-observations, then including the first),
        // each corrected for the position in the session by 0.02 per track.
        var firstDeviation = 0.75 - 0.65;
        var secondDeviation = (0.55 + 0.02) - (0.75 + 0.65 * 5) / 6;
        for (var r = 0; r < rates.Length; r++)
        {
            var keep = 1 - rates[r] - drift;
            var alpha = keep * (keep + drift) + drift;
            double[] beta = [keep * rates[r] * 0.8 + rates[r] * 0.4, keep * rates[r] * 0.2 + rates[r] * 0.9];
            double[] observed = [0.7, 0.6];
            for (var a = 0; a < 2; a++)
            {
                var baseline = (alpha * (observed[a] - beta[a]) + 0.5 * 2) / (alpha * alpha + 2);
                Assert.Equal(baseline, values[paths + 12 + 2 * r + a], tolerance: 1e-5);
                Assert.Equal(alpha * baseline + beta[a], values[paths + 2 * r + a], tolerance: 1e-5);
            }
            Assert.Equal((1 - rates[r]) * firstDeviation + secondDeviation, values[paths + 24 + r], tolerance: 1e-5);
        }
    }

    [Fact]
    public void A_patients_record_of_a_track_counts_its_plays_and_their_engagement_and_ratings_on_it()
    {
        var summary = new HistorySummary(genreBuckets: 0);
        // Track "a" twice (engagement 0.85 at position 0, rated 1; then 0.45 at position 1, unrated), "b" once between.
        summary.Add("a", Track(0.5f, 0.5f), [0.85f, 1, 0, 0], [1, 1, 0, 0], positionInSession: 0);
        summary.Add("b", Track(0.5f, 0.5f), [0.65f, 0, 0, 0], [1, 0, 0, 0], positionInSession: 0);
        summary.Add("a", Track(0.5f, 0.5f), [0.45f, 0, 0, 0], [1, 0, 0, 0], positionInSession: 1);
        var a = new float[TrackRecord.Size];
        var never = new float[TrackRecord.Size];
        summary.WriteTrackRecord("a", a);
        summary.WriteTrackRecord("c", never);

        // Deviations from the patient's level, 0.65 by five pseudo-observations, then with each engagement seen:
        // 0.85 - 0.65 = 0.2; level (3.25 + 0.85 + 0.65) / 7 = 0.678571; 0.45 + 0.02 - 0.678571 = -0.208571.
        // Means shrunk by one pseudo-observation at zero: (0.2 - 0.208571) / 3 and (1 - 0.5) / 2.
        Assert.Equal(1f, a[0]);
        Assert.Equal(Math.Log(3), a[1], tolerance: 1e-6);
        Assert.Equal((0.2 - 0.208571) / 3, a[2], tolerance: 1e-5);
        Assert.Equal(0.25, a[3], tolerance: 1e-6);
        Assert.Equal(new float[TrackRecord.Size], never);
        Assert.Equal(["a", "b"], summary.TrackRecords.Keys.Order());
    }

    [Fact]
    public void A_training_steps_record_of_its_own_track_holds_only_the_plays_before_it()
    {
        var (history, layout) = Setup();
        // Play step 2's track again as step 7 and step 12, with opposite engagement and ratings.
        var steps = history.Steps.ToArray();
        steps[7] = steps[7] with { TrackId = steps[2].TrackId, TrackIndex = steps[2].TrackIndex, Track = steps[2].Track, Outcomes = [0.1f, 0, 0, 0], Observed = [1, 1, 0, 0] };
        steps[12] = steps[12] with { TrackId = steps[2].TrackId, TrackIndex = steps[2].TrackIndex, Track = steps[2].Track };
        var repeated = history with { Steps = steps };
        using var scope = torch.NewDisposeScope();
        using var tensors = HistoryTensors.ForTraining([new HistoryWindow(repeated, 0, repeated.Count)], layout);

        float[] RecordAt(int t) => tensors.TrackRecords![t, 0].contiguous().data<float>().ToArray();
        float[] Expected(int t)
        {
            var into = new float[TrackRecord.Size];
            layout.Summarise(steps.Take(t)).WriteTrackRecord(steps[t].TrackId, into);
            return into;
        }
        Assert.Equal(new float[TrackRecord.Size], RecordAt(2));
        Assert.Equal(1f, RecordAt(7)[0]);
        Assert.Equal(Expected(7), RecordAt(7));
        Assert.Equal(Expected(12), RecordAt(12));
        var earlierPlays = steps.Take(12).Count(s => s.TrackId == steps[12].TrackId);
        Assert.Equal(Math.Log(1 + earlierPlays), RecordAt(12)[1], tolerance: 1e-6);
        Assert.NotEqual(RecordAt(7)[2], RecordAt(12)[2]); // step 7's low engagement entered step 12's record
    }

    [Fact]
    public void A_clone_continues_exactly_like_the_original_and_independently_of_it()
    {
        var (history, layout) = Setup();
        var steps = history.Steps;
        var original = layout.Summarise(steps.Take(steps.Count - 3));
        var clone = original.Clone();

        foreach (var step in steps.Skip(steps.Count - 3)) clone.Add(step);

        Assert.Equal(Written(layout.Summarise(steps), position: 3), Written(clone, position: 3));
        Assert.Equal(Written(layout.Summarise(steps.Take(steps.Count - 3)), position: 3), Written(original, position: 3));
    }

    [Fact]
    public void Each_token_summarises_exactly_the_steps_before_it_even_outside_its_window()
    {
        var (history, layout) = Setup();
        torch.set_num_threads(1);
        using var scope = torch.NewDisposeScope();
        using var tensors = HistoryTensors.ForTraining([new HistoryWindow(history, 6, 5)], layout);

        for (var s = 0; s < 5; s++)
            Assert.Equal(Written(layout.Summarise(history.Steps.Take(6 + s)), history.Steps[6 + s].Context), SummaryAt(tensors, layout, s));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(33)]
    public void Windows_deep_into_a_long_history_summarise_exactly_the_steps_before_them(int start)
    {
        var world = new ToyWorld(patients: 1, sessionsPerPatient: 8, stepsPerSession: 5);
        var spec = FeatureSpec.Fit(world.Catalog, world.Patients);
        var encoder = new EpisodeEncoder(spec, new TrackVocabulary(world.Catalog.Select(t => t.TrackId)), world.Catalog);
        var layout = new TokenLayout(encoder.Tracks.Size, encoder.PatientContextSize, HistorySummary.SizeFor(spec.GenreBuckets));
        var history = encoder.EncodeHistory(world.Patients[0], world.Sessions);
        using var scope = torch.NewDisposeScope();
        // Twice: the second window is built from the summaries kept for the history by the first.
        using var first = HistoryTensors.ForTraining([new HistoryWindow(history, 0, 5)], layout);
        using var tensors = HistoryTensors.ForTraining([new HistoryWindow(history, start, 5)], layout);

        for (var s = 0; s < 5; s++)
            Assert.Equal(Written(layout.Summarise(history.Steps.Take(start + s)), history.Steps[start + s].Context), SummaryAt(tensors, layout, s));
    }

    [Fact]
    public void A_truncated_history_still_summarises_its_earlier_steps()
    {
        var (history, layout) = Setup();
        using var scope = torch.NewDisposeScope();
        var next = history.Steps[^1].Context.Next();

        using var full = HistoryTensors.ForNextStep(history, next, layout);
        using var truncated = HistoryTensors.ForNextStep(history.TakeLast(4), next, layout);

        Assert.Equal(SummaryAt(full, layout, history.Count), SummaryAt(truncated, layout, 4));
        Assert.Equal(history.Count - 4, history.TakeLast(4).Earlier.Count);
    }

    [Fact]
    public void A_steps_prediction_never_sees_its_own_outcomes_through_the_summary()
    {
        var (history, layout) = Setup();
        torch.manual_seed(3);
        using var model = new WorldModel(TinyModels.Options, layout, _world.Catalog.Count + 1);
        model.eval();
        const int changed = 5;
        float[] Predict(EncodedHistory h)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            using var tensors = HistoryTensors.ForTraining([new HistoryWindow(h, 0, h.Count)], model.Layout);
            var states = model.call(tensors.PreviousTrack, tensors.PreviousIds, tensors.Context);
            return model.Predict(states, model.EmbedTracks(tensors.Track!, tensors.TrackIds!), tensors.TrackRecords).contiguous().data<float>().ToArray();
        }
        var before = Predict(history);
        var steps = history.Steps.ToArray();
        steps[changed] = steps[changed] with { Outcomes = [0.01f, 1f, 0.99f, 0.02f], Observed = [1f, 1f, 1f, 1f] };

        var after = Predict(history with { Steps = steps });

        var perStep = PredictionLayout.Size;
        Assert.Equal(before[..((changed + 1) * perStep)], after[..((changed + 1) * perStep)]);
        Assert.NotEqual(before[((changed + 1) * perStep)..], after[((changed + 1) * perStep)..]);
    }
}
