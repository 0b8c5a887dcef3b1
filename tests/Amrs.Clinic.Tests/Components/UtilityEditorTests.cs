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
        await FindAndClickAsync(editor, () => editor.FindAll("button").Single(b => b.TextContent.Contains("Save as a new version", StringComparison.Ordinal)));

        var (profile, reason) = Assert.NotNull(_saved);
        var defaults = UtilityWeights.DefaultFor(SessionMode.Clinical);
        Assert.Equal(defaults with { Valence = 0.9, Familiarity = 0.4 }, profile.Weights);
        Assert.Equal(new AffectPoint(0.8, 0.2), profile.Target);
        Assert.Equal(0.6, profile.MaxArousal);
        Assert.Equal(10, profile.PlaylistLength);
        Assert.Equal("More familiar music in the evening", reason);
    }

    [Fact]
    public void A_profile_the_person_may_not_change_is_shown_without_a_save_button()
    {
        var editor = RenderEditor(readOnly: true);

        Assert.DoesNotContain(editor.FindAll("button"), b => b.TextContent.Contains("Save", StringComparison.Ordinal));
        Assert.True(editor.Find("#weight-valence").HasAttribute("disabled"));
    }

    private IRenderedComponent<UtilityEditor> RenderEditor(bool readOnly) =>
        Render<UtilityEditor>(p => p
            .Add(x => x.Profile, UtilityProfile.DefaultFor(SessionMode.Clinical))
            .Add(x => x.CurrentVersion, 3)
            .Add(x => x.ReadOnly, readOnly)
            .Add(x => x.OnSave, ((UtilityProfile Profile, string Reason) change) => _saved = change));
}
