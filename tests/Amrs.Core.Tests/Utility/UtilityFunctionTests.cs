using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Utility;

namespace Amrs.Core.Tests.Utility;

public sealed class UtilityFunctionTests
{
    [Fact]
    public void Utility_is_the_weighted_mean_of_its_terms()
    {
        var weights = new UtilityWeights(0.4, 0.2, 0.2, 0.1, 0.1, 0.0);
        var predicted = new PredictedSignals(Engagement: 0.8, LikeProbability: 0.5, Valence: 0.6, Arousal: 0.3);

        var score = UtilityFunction.Score(weights, predicted, new AffectPoint(0.7, 0.2), novelty: 0.5, familiarity: 1.0);

        // 0.4*(1-0.1) + 0.2*(1-0.1) + 0.2*0.8 + 0.1*0.5 + 0.1*0.5 + 0 = 0.36+0.18+0.16+0.05+0.05 = 0.80; / 1.0
        Assert.Equal(0.80, score, precision: 12);
    }

    [Fact]
    public void Only_the_ratio_of_weights_matters()
    {
        var predicted = new PredictedSignals(0.5, 0.5, 0.4, 0.9);
        var target = new AffectPoint(0.5, 0.5);

        var small = UtilityFunction.Score(new UtilityWeights(0.1, 0.1, 0, 0, 0, 0), predicted, target, 1, 0);
        var large = UtilityFunction.Score(new UtilityWeights(0.5, 0.5, 0, 0, 0, 0), predicted, target, 1, 0);

        Assert.Equal(small, large, precision: 12);
        Assert.Equal(0.5 * 0.9 + 0.5 * 0.6, large, precision: 12);
    }

    [Theory]
    [InlineData(SessionMode.Clinical)]
    [InlineData(SessionMode.Energize)]
    [InlineData(SessionMode.Focus)]
    [InlineData(SessionMode.Calm)]
    [InlineData(SessionMode.Sleep)]
    public void Under_the_default_weights_a_track_nearer_the_target_outranks_a_familiar_one(SessionMode mode)
    {
        var weights = UtilityWeights.DefaultFor(mode);
        var target = ModeTargets.DefaultTarget(mode);
        // Same engagement, rating and novelty; the unfamiliar track lands 0.05 nearer the target on both axes.
        var familiar = new PredictedSignals(0.7, 0.6, target.Valence + 0.10, target.Arousal + 0.10);
        var nearer = familiar with { Valence = target.Valence + 0.05, Arousal = target.Arousal + 0.05 };

        var familiarScore = UtilityFunction.Score(weights, familiar, target, novelty: 1, familiarity: 1);
        var nearerScore = UtilityFunction.Score(weights, nearer, target, novelty: 1, familiarity: 0);

        Assert.True(nearerScore > familiarScore, $"{mode}: nearer {nearerScore:0.0000}, familiar {familiarScore:0.0000}");
    }

    [Fact]
    public void The_papers_metric_is_mean_valence_and_arousal_half_each()
    {
        var metric = UtilityFunction.PaperMetric([new(0, 0, 0.2, 0.4), new(0, 0, 0.6, 0.8)]);

        Assert.Equal((0.3 + 0.7) / 2, metric, precision: 12);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Weights_outside_0_to_1_are_refused_naming_the_weight(double value)
    {
        var errors = (UtilityWeights.DefaultFor(SessionMode.Calm) with { Engagement = value }).Validate();

        Assert.Contains(errors, e => e.Contains("'engagement'", StringComparison.Ordinal));
    }

    [Fact]
    public void All_zero_weights_are_refused()
    {
        Assert.NotEmpty(new UtilityWeights(0, 0, 0, 0, 0, 0).Validate());
    }

    [Fact]
    public void Every_mode_has_valid_default_weights_and_profile()
    {
        foreach (var mode in Enum.GetValues<SessionMode>())
        {
            Assert.Empty(UtilityProfile.DefaultFor(mode).Validate());
        }
    }

    [Fact]
    public void A_sleep_target_above_the_modes_arousal_limit_is_refused()
    {
        var profile = UtilityProfile.DefaultFor(SessionMode.Sleep) with { Target = new AffectPoint(0.5, 0.9) };

        Assert.Contains(profile.Validate(), e => e.Contains("Sleep mode's limit", StringComparison.Ordinal));
    }

    [Fact]
    public void The_iso_path_starts_near_the_current_state_and_arrives_at_three_quarters()
    {
        var path = IsoPath.Path(new AffectPoint(0.3, 0.9), new AffectPoint(0.7, 0.3), length: 9);

        Assert.Equal(0.3 + 0.4 / 6, path[0].Valence, precision: 12); // a sixth of the way after the first track (arrival at step 6)
        Assert.Equal(0.7, path[5].Valence, precision: 12);
        Assert.Equal(0.3, path[5].Arousal, precision: 12);
        Assert.Equal(0.7, path[8].Valence, precision: 12);
        Assert.True(path[1].Arousal < path[0].Arousal);
    }

    [Fact]
    public void Novelty_is_zero_for_a_repeat_and_one_for_the_first_track()
    {
        var a = new Track("a", "A", "X", 0.2, 0.2, Genre: "jazz");
        var b = new Track("b", "B", "Y", 0.9, 0.9, Genre: "rock");

        Assert.Equal(1, PlaylistNovelty.Of(a, []));
        Assert.Equal(0, PlaylistNovelty.Of(a, [b, a]));
        Assert.Equal(0.5 * (0.7 * Math.Sqrt(2) / Math.Sqrt(2)) + 0.25 + 0.25, PlaylistNovelty.Of(a, [b]), precision: 12);
    }

    [Fact]
    public void Constraints_take_the_strictest_arousal_ceiling_and_excluded_genres()
    {
        var patient = new Patient("P-1", 1940, CareSetting.Clinical, CognitiveStage.Mild, [], MaxArousal: 0.6, ["metal"], Consent: true);
        var sleep = UtilityProfile.DefaultFor(SessionMode.Sleep);
        var clinical = UtilityProfile.DefaultFor(SessionMode.Clinical) with { ExcludedGenres = ["disco"] };

        Assert.False(TrackConstraints.IsAllowed(new Track("t", "T", "A", 0.5, 0.5, Genre: "jazz"), patient, sleep)); // sleep limit 0.45
        Assert.True(TrackConstraints.IsAllowed(new Track("t", "T", "A", 0.5, 0.5, Genre: "jazz"), patient, clinical));
        Assert.False(TrackConstraints.IsAllowed(new Track("t", "T", "A", 0.5, 0.65, Genre: "jazz"), patient, clinical)); // patient 0.6
        Assert.Equal("genre 'Disco' is excluded", TrackConstraints.Violation(new Track("t", "T", "A", 0.5, 0.3, Genre: "Disco"), patient, clinical));
        Assert.NotNull(TrackConstraints.Violation(new Track("t", "T", "A", 0.5, 0.3), patient, clinical));
    }
}
