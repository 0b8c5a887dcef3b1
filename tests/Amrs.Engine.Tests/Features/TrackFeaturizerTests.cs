using Amrs.Core.Catalog;
using Amrs.Engine.Features;

namespace Amrs.Engine.Tests.Features;

public sealed class TrackFeaturizerTests
{
    private static readonly FeatureSpec Spec = new(1970, 15, Math.Log(200), 0.3, 1945, 10);

    [Fact]
    public void Missing_descriptors_are_zero_with_known_flag_zero_and_present_ones_have_flag_one()
    {
        var featurizer = new TrackFeaturizer(Spec);
        var bare = featurizer.Encode(new Track("a", "A", "X", 0.2, 0.9));
        var full = featurizer.Encode(new Track("b", "B", "Y", 0.2, 0.9, 1985, "Jazz", 200,
            new AudioDescriptors(0.5, 150, 0.1, 0.2, 0.3, -10, 1)));

        Assert.Equal(featurizer.Size, bare.Length);
        Assert.Equal([0.2f, 0.9f], bare[..2]);
        // Everything after valence and arousal is absent for the bare track.
        Assert.All(bare[2..], v => Assert.Equal(0f, v));
        Assert.Equal(1f, full[3]); // year known
        Assert.Equal(1f, full[2], 5); // (1985 - 1970) / 15
        Assert.Equal(1f, full[5]); // duration known
        Assert.Equal(1f, full[6 + Spec.GenreBuckets]); // genre known
        Assert.Equal(1, full[6..(6 + Spec.GenreBuckets)].Count(v => v == 1f)); // exactly one genre bucket
        Assert.All(full[^7..], flag => Assert.Equal(1f, flag)); // all seven audio descriptors known
        Assert.Equal(1f, full[full.Length - 14 + 1], 5); // tempo (150 - 120) / 30
    }

    [Fact]
    public void Genre_buckets_ignore_case_and_spacing_and_are_the_same_in_every_process()
    {
        var featurizer = new TrackFeaturizer(Spec);
        var a = featurizer.Encode(new Track("a", "A", "X", 0.5, 0.5, Genre: "Jazz"));
        var b = featurizer.Encode(new Track("b", "B", "X", 0.5, 0.5, Genre: " jazz "));
        Assert.Equal(a, b);
        // FNV-1a is fixed, unlike string.GetHashCode: pin one value so a change of hash is noticed.
        Assert.Equal(0xe40c292cu, StableHash.Fnv1a("a"));
    }

    [Fact]
    public void Vocabulary_maps_unseen_tracks_to_the_unknown_row()
    {
        var vocabulary = new TrackVocabulary(["t2", "t1", "t2"]);
        Assert.Equal(3, vocabulary.Rows);
        Assert.Equal(1, vocabulary.IndexOf("t1"));
        Assert.Equal(2, vocabulary.IndexOf("t2"));
        Assert.Equal(TrackVocabulary.Unknown, vocabulary.IndexOf("never-played"));
    }
}
