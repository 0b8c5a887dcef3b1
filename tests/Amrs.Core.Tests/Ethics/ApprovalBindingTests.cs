using System.Text;
using Amrs.Core.Affect;
using Amrs.Core.Ethics;

namespace Amrs.Core.Tests.Ethics;

public sealed class ApprovalBindingTests
{
    // Written out by hand from the documented form and hashed with `sha256sum`, independently of this code.
    private const string Canonical =
        "15:amrs-approval/1,4:pl-1,6:P-0001,4:calm,3:0.7,3:0.3,9:profile-7,1:2,9:policy-v3,8:world-v2,1:2,2:t1,2:t2,";

    private const string Hash = "1f484b4d81f820edd278f5a14e1f553c7bc91d7fb2bd502289dc92a63feccea5";

    [Fact]
    public void Binding_of_the_fixed_vector_is_the_hand_written_form_and_hash()
    {
        var content = ApprovalBinding.CanonicalContent(
            "pl-1", "P-0001", SessionMode.Calm, new AffectPoint(0.7, 0.3), "profile-7", ["world-v2", "policy-v3"], ["t1", "t2"]);
        var hash = ApprovalBinding.Compute(
            "pl-1", "P-0001", SessionMode.Calm, new AffectPoint(0.7, 0.3), "profile-7", ["world-v2", "policy-v3"], ["t1", "t2"]);

        Assert.Equal(Canonical, Encoding.UTF8.GetString(content));
        Assert.Equal(Hash, hash);
    }

    [Fact]
    public void Binding_without_target_or_tracks_is_the_hand_written_form()
    {
        var hash = ApprovalBinding.Compute(new BoundPlaylist("pl-1", "P-0001", SessionMode.Sleep, null, "profile-7", ["policy-v3"], []));

        // printf '15:amrs-approval/1,4:pl-1,6:P-0001,5:sleep,-1:,-1:,9:profile-7,1:1,9:policy-v3,1:0,' | sha256sum
        Assert.Equal("f6b2a67129d320a0f6aba67d1b7d2356b6a32e4784626465f85d43fa033bf72a", hash);
    }

    [Fact]
    public void Model_version_order_does_not_matter_but_track_order_does()
    {
        var playlist = new BoundPlaylist("pl-1", "P-0001", SessionMode.Calm, null, "p", ["a", "b"], ["t1", "t2"]);

        Assert.Equal(playlist.ComputeBinding(), (playlist with { ModelVersions = ["b", "a"] }).ComputeBinding());
        Assert.NotEqual(playlist.ComputeBinding(), (playlist with { TrackIds = ["t2", "t1"] }).ComputeBinding());
    }

    [Fact]
    public void Shifting_ids_between_tracks_changes_the_binding()
    {
        var playlist = new BoundPlaylist("pl-1", "P-0001", SessionMode.Calm, null, "p", ["m"], ["ab", "c"]);

        Assert.NotEqual(playlist.ComputeBinding(), (playlist with { TrackIds = ["a", "bc"] }).ComputeBinding());
    }

    [Fact]
    public void Text_that_is_not_valid_utf16_is_refused()
    {
        var playlist = new BoundPlaylist("pl-\uDC00", "P-0001", SessionMode.Calm, null, "p", ["m"], ["t"]);

        Assert.Throws<ArgumentException>(() => playlist.ComputeBinding());
    }
}
