using Amrs.Clinic.Components.Pages.Patients;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Utility;
using Bunit;

namespace Amrs.Clinic.Tests.Components;

public sealed class UtilityEditorTests : ClinicComponentTest
{
    private (UtilityProfile Profile, string Reason)? _saved;

    [Fact]
    public async Task Typed_weights_target_and_limits_are_what_is_saved()
    {
        var editor = RenderEditor(readOnly: false);

        editor.Find("#weight-valence").Change("0.9");
        editor.Find("#weight-familiarity").Change("0.4");
        editor.Find("#profile-target-valence").Change("0.8");
        editor.Find("#profile-target-arousal").Change("0.2");
        editor.Find("#profile-max-arousal").Change("0.6");
        editor.Find("#profile-length").Change("10");
        editor.Find("#profile-reason").Change("More familiar music in the evening");
        await ClickAsync(editor, "Save as a new version");

        var (profile, reason) = Assert.NotNull(_saved);
        var defaults = UtilityWeights.DefaultFor(SessionMode.Clinical);
        Assert.Equal(defaults with { Valence = 0.9, Familiarity = 0.4 }, profile.Weights);
        Assert.Equal(new AffectPoint(0.8, 0.2), profile.Target);
        Assert.Equal(0.6, profile.MaxArousal);
        Assert.Equal(10, profile.PlaylistLength);
        Assert.Equal("More familiar music in the evening", reason);
    }

    [Theory]
    [InlineData("#weight-engagement", "abc", "Engagement weight: 'abc' is not a number; write it like 0.35.")]
    [InlineData("#weight-engagement", "5", "Engagement weight: 5 is outside 0 to 1.")]
    [InlineData("#weight-engagement", "", "Engagement weight: enter a number from 0 to 1.")]
    [InlineData("#profile-max-arousal", "2", "Maximum track arousal: 2 is outside 0 to 1.")]
    [InlineData("#profile-length", "999", "Tracks per session: 999 is outside 1 to 40.")]
    [InlineData("#profile-length", "7.5", "Tracks per session: '7.5' is not a whole number.")]
    [InlineData("#profile-target-valence", "1.2", "Valence: 1.2 is outside 0 to 1.")]
    public async Task A_field_that_cannot_be_read_or_is_out_of_range_saves_nothing_and_says_which(string field, string typed, string message)
    {
        var editor = RenderEditor(readOnly: false);

        editor.Find(field).Change(typed);
        await ClickAsync(editor, "Save as a new version");

        Assert.Null(_saved);
        Assert.Contains(message, editor.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved", editor.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mode_defaults_replace_a_bad_number_and_a_corrected_field_clears_the_refusal()
    {
        var editor = RenderEditor(readOnly: false);
        editor.Find("#weight-engagement").Change("abc");
        await ClickAsync(editor, "Save as a new version");
        Assert.Contains("'abc' is not a number", editor.Find("[role=alert]").TextContent, StringComparison.Ordinal);

        editor.Find("#weight-engagement").Change("0.4");
        Assert.Empty(editor.FindAll("[role=alert]")); // corrected: the refusal is gone

        editor.Find("#weight-engagement").Change("abc");
        await ClickAsync(editor, "Mode defaults");
        await ClickAsync(editor, "Save as a new version");

        Assert.Equal(UtilityWeights.DefaultFor(SessionMode.Clinical), Assert.NotNull(_saved).Profile.Weights);
    }

    [Fact]
    public async Task A_decimal_comma_is_a_decimal_mark_not_a_thousands_separator()
    {
        var editor = RenderEditor(readOnly: false);

        editor.Find("#weight-engagement").Change("0,3");
        await ClickAsync(editor, "Save as a new version");

        Assert.Equal(0.3, Assert.NotNull(_saved).Profile.Weights.Engagement);
    }

    [Fact]
    public void A_profile_the_person_may_not_change_is_shown_without_a_save_button()
    {
        var editor = RenderEditor(readOnly: true);

        Assert.DoesNotContain(editor.FindAll("button"), b => b.TextContent.Contains("Save", StringComparison.Ordinal));
        Assert.True(editor.Find("#weight-valence").HasAttribute("disabled"));
    }

    private Task ClickAsync(IRenderedComponent<UtilityEditor> editor, string button) =>
        FindAndClickAsync(editor, () => editor.FindAll("button").Single(b => b.TextContent.Contains(button, StringComparison.Ordinal)));

    private IRenderedComponent<UtilityEditor> RenderEditor(bool readOnly) =>
        Render<UtilityEditor>(p => p
            .Add(x => x.Profile, UtilityProfile.DefaultFor(SessionMode.Clinical))
            .Add(x => x.CurrentVersion, 3)
            .Add(x => x.ReadOnly, readOnly)
            .Add(x => x.OnSave, ((UtilityProfile Profile, string Reason) change) => _saved = change));
}
