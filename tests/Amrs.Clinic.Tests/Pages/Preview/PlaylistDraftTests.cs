using Amrs.Clinic.Components.Pages.Preview;
using Amrs.Core.Catalog;

namespace Amrs.Clinic.Tests.Pages.Preview;

public sealed class PlaylistDraftTests
{
    private static Track T(int i) => new($"T-{i}", $"Song {i}", "Artist", 0.5, 0.5);

    [Fact]
    public void Removing_moving_and_swapping_change_the_list_and_it_no_longer_equals_the_previewed_one()
    {
        var draft = new PlaylistDraft([T(1), T(2), T(3), T(4)]);

        draft.Remove(0);
        draft.Move(0, 1);
        var refused = draft.Swap(2, T(9));

        Assert.Null(refused);
        Assert.Equal(["T-3", "T-2", "T-9"], draft.TrackIds);
        Assert.False(draft.IsSameListAs(["T-1", "T-2", "T-3", "T-4"]));
        Assert.True(draft.IsSameListAs(["T-3", "T-2", "T-9"]));
    }

    [Fact]
    public void A_track_already_in_the_list_is_not_swapped_in_twice_and_moves_stop_at_the_ends()
    {
        var draft = new PlaylistDraft([T(1), T(2)]);

        var refused = draft.Swap(0, T(2));
        draft.Move(0, -1);
        draft.Move(1, 1);

        Assert.Equal("'Song 2' is already in the list; a playlist plays each track once.", refused);
        Assert.Equal(["T-1", "T-2"], draft.TrackIds);
    }
}
