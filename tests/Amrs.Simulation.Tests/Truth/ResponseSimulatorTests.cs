using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Simulation.Catalog;
using Amrs.Simulation.Cohort;
using Amrs.Simulation.Truth;

namespace Amrs.Simulation.Tests.Truth;

public sealed class ResponseSimulatorTests
{
    private static readonly ResponseSimulator _simulator = new(WorldConfig.Default);

    private static PatientTraits Traits(double swingAffinity = 0, double fatigue = 0.02, double reminiscence = 1.0) => new()
    {
        PatientId = "test",
        GenreAffinity = Genres.All.Select(g => g.Name == "Swing" ? swingAffinity : 0.0).ToArray(),
        ReminiscenceCentreYear = 1960,
        ReminiscenceStrength = reminiscence,
        FamiliarityGain = 0.6,
        FatiguePerTrack = fatigue,
        EntrainmentRate = 0.3,
        Baseline = new AffectPoint(0.5, 0.6),
        PreferredArousal = 0.4,
        ValenceLiking = 1,
        EngagementBias = 0.6,
        AffectNoise = 0.08,
        EngagementNoise = 0.12,
    };

    private static Track Song(double valence = 0.6, double arousal = 0.15, string genre = "Swing", int? year = 1990) =>
        new("T", "Song", "Artist", valence, arousal, year, genre);

    [Fact]
    public void A_liked_calm_track_lowers_expected_arousal_more_than_a_disliked_one()
    {
        var liked = new SimulatedListener(_simulator, Traits(swingAffinity: 2));
        var disliked = new SimulatedListener(_simulator, Traits(swingAffinity: -2));

        var afterLiked = liked.Expected(Song()).Arousal;
        var afterDisliked = disliked.Expected(Song()).Arousal;

        Assert.True(afterLiked < 0.6 - 0.05, $"arousal after a liked calm track: {afterLiked}");
        Assert.True(afterLiked < afterDisliked - 0.03, $"liked {afterLiked} vs disliked {afterDisliked}");
    }

    [Fact]
    public void Fatigue_lowers_engagement_late_in_a_session()
    {
        var listener = new SimulatedListener(_simulator, Traits(fatigue: 0.03));
        var probe = Song(genre: "Jazz");
        var early = listener.Expected(probe).Engagement;
        for (var i = 0; i < 10; i++)
            listener.Advance(Song() with { TrackId = $"filler-{i}" });

        var late = listener.Expected(probe).Engagement;

        Assert.True(late < early - 0.15, $"early {early}, late {late}");
    }

    [Fact]
    public void The_reminiscence_bump_raises_engagement_for_music_from_the_listeners_youth()
    {
        var listener = new SimulatedListener(_simulator, Traits(reminiscence: 1.5));

        var fromYouth = listener.Expected(Song(year: 1960)).Engagement;
        var fromLater = listener.Expected(Song(year: 2005)).Engagement;

        Assert.True(fromYouth > fromLater + 0.1, $"youth {fromYouth}, later {fromLater}");
    }

    [Fact]
    public void Familiarity_grows_with_repeats_across_sessions()
    {
        var listener = new SimulatedListener(_simulator, Traits());
        var track = Song();
        var first = listener.Expected(track).RatingProbability;
        for (var session = 0; session < 4; session++)
        {
            listener.BeginSession();
            listener.Advance(track);
        }
        listener.BeginSession();

        Assert.True(listener.Expected(track).RatingProbability > first + 0.1);
    }

    [Fact]
    public void Expected_is_the_mean_of_what_is_observed()
    {
        var traits = Traits(swingAffinity: 0.5);
        var track = Song(valence: 0.9, arousal: 0.95, year: 1955);
        var state = new AffectPoint(0.95, 0.9); // near the edge, so the clamping matters
        var expected = _simulator.Expected(traits, state, 3, 1, track);
        var rng = new Random(5);
        double e = 0, v = 0, a = 0, r = 0;
        int nAffect = 0, nRating = 0;
        const int draws = 40_000;
        for (var i = 0; i < draws; i++)
        {
            var o = _simulator.Observe(traits, state, 3, 1, track, rng);
            e += o.Engagement;
            if (o.Valence is { } ov && o.Arousal is { } oa)
            {
                v += ov;
                a += oa;
                nAffect++;
            }
            if (o.Rating is { } or)
            {
                r += or;
                nRating++;
            }
        }

        Assert.Equal(expected.Engagement, e / draws, 0.005);
        Assert.Equal(expected.Valence, v / nAffect, 0.005);
        Assert.Equal(expected.Arousal, a / nAffect, 0.005);
        Assert.Equal(expected.RatingProbability, r / nRating, 0.02);
        Assert.InRange(nAffect / (double)draws, 0.29, 0.31);
        Assert.InRange(nRating / (double)draws, 0.19, 0.21);
    }

    [Fact]
    public void The_clamped_normal_mean_matches_known_values()
    {
        Assert.Equal(0.5, SimMath.ClampedNormalMean(0.5, 0.01), 9);
        Assert.Equal(0.0, SimMath.ClampedNormalMean(-5, 0.1), 9);
        Assert.Equal(1.0, SimMath.ClampedNormalMean(6, 0.1), 9);
        // mu = 0, sd = 1: E = phi(0) - phi(1) + 1 - Phi(1) = 0.3989423 - 0.2419707 + 0.1586553.
        Assert.Equal(0.3156269, SimMath.ClampedNormalMean(0, 1), 6);
        Assert.Equal(0.8413447, SimMath.NormalCdf(1), 6);
    }

    [Fact]
    public void Replaying_a_history_equals_playing_it_step_by_step()
    {
        var world = SmallWorld.World;
        var session = world.Sessions[0];
        var tracks = session.Steps.Select(s => world.Track(s.TrackId)).ToArray();
        var stepByStep = world.Listener(session.PatientId);
        stepByStep.BeginSession();
        foreach (var track in tracks[..5])
            stepByStep.Advance(track);

        var replayed = world.Listener(session.PatientId).Replay([tracks[..5]]);

        Assert.Equal(stepByStep.Expected(tracks[5]), replayed.Expected(tracks[5]));
        Assert.Equal(5, replayed.Position);
        Assert.NotEqual(world.Listener(session.PatientId).Replay([tracks[..5], []]).Expected(tracks[5]), replayed.Expected(tracks[5]));
    }

    [Fact]
    public void The_population_oracle_is_deterministic_and_not_the_truth()
    {
        var world = SmallWorld.World;
        var track = world.Catalog[0];
        var a = world.PopulationOracle().NewListener();
        var b = world.PopulationOracle().NewListener();
        a.BeginSession(SessionMode.Clinical);
        b.BeginSession(SessionMode.Clinical);

        Assert.Equal(a.Expected(track), b.Expected(track));
        var truths = world.Patients.Take(20).Select(p => world.Listener(p.PatientId).Expected(track).Valence).ToArray();
        Assert.True(truths.Max() - truths.Min() > 0.05, "patients do not differ");
    }
}
