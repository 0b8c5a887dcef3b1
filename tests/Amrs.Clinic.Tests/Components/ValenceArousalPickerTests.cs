using Amrs.Clinic.Components.Shared;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Bunit;
using Microsoft.AspNetCore.Components.Web;

namespace Amrs.Clinic.Tests.Components;

public sealed class ValenceArousalPickerTests : ClinicComponentTest
{
    private AffectPoint? _picked;
    private int _reports;
    private string? _error;

    [Theory]
    [InlineData(150, 50, 0.75, 0.75)]
    [InlineData(0, 200, 0.0, 0.0)]
    [InlineData(200, 0, 1.0, 1.0)]
    [InlineData(40, 170, 0.2, 0.15)]
    [InlineData(260, -30, 1.0, 1.0)] // a touch just outside the square is held to its edge
    public void A_tap_on_the_plane_picks_the_point_under_the_finger(double x, double y, double valence, double arousal)
    {
        var picker = RenderPicker(value: null);

        picker.Find("[data-testid=va-plane]").Click(new MouseEventArgs { OffsetX = x, OffsetY = y });

        Assert.Equal(new AffectPoint(valence, arousal), _picked);
    }

    [Fact]
    public void Typing_the_numbers_sets_each_axis_and_keeps_the_other()
    {
        var picker = RenderPicker(value: new AffectPoint(0.2, 0.4));

        picker.Find("#va-valence").Change("0.65");
        Assert.Equal(new AffectPoint(0.65, 0.4), _picked);

        picker.Find("#va-arousal").Change("0.9");
        Assert.Equal(new AffectPoint(0.65, 0.9), _picked); // the valence as typed, shown in its field
    }

    [Theory]
    [InlineData("7", "Valence: 7 is outside 0 to 1.")]
    [InlineData("-0.2", "Valence: -0.2 is outside 0 to 1.")]
    [InlineData("abc", "Valence: 'abc' is not a number; write it like 0.35.")]
    [InlineData("1,000.5", "Valence: '1,000.5' is not a number; write it like 0.35.")]
    public void A_number_that_cannot_be_read_or_lies_outside_the_square_is_shown_and_never_reported_as_a_point(string typed, string message)
    {
        var picker = RenderPicker(value: new AffectPoint(0.2, 0.4));

        picker.Find("#va-valence").Change(typed);

        Assert.Equal(0, _reports);
        Assert.Equal(message, _error);
        Assert.Contains(message, picker.Markup, StringComparison.Ordinal);

        picker.Find("#va-valence").Change("0.3");
        Assert.Equal(new AffectPoint(0.3, 0.4), _picked);
        Assert.Null(_error);
    }

    [Fact]
    public void A_tap_replaces_a_bad_number_even_on_the_point_already_chosen()
    {
        var picker = RenderPicker(value: new AffectPoint(0.5, 0.4));
        picker.Find("#va-valence").Change("7");
        Assert.NotNull(_error);

        picker.Find("[data-testid=va-plane]").Click(new MouseEventArgs { OffsetX = 100, OffsetY = 120 }); // (0.5, 0.4) on 200 px

        Assert.Null(_error);
        Assert.Equal("0.50", picker.Find("#va-valence").GetAttribute("value"));
        Assert.DoesNotContain("outside", picker.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decimal_comma_is_read_as_a_decimal_mark()
    {
        var picker = RenderPicker(value: new AffectPoint(0.2, 0.4));

        picker.Find("#va-valence").Change("0,3");

        Assert.Equal(new AffectPoint(0.3, 0.4), _picked);
    }

    [Fact]
    public void One_number_without_the_other_is_no_point_and_both_emptied_is_none_unless_a_point_is_required()
    {
        var optional = RenderPicker(value: new AffectPoint(0.2, 0.4));
        optional.Find("#va-valence").Change("");
        Assert.Equal("Observed affect: give both valence and arousal, or neither.", _error);
        Assert.Equal(0, _reports);
        optional.Find("#va-arousal").Change("");
        Assert.Null(_error);
        Assert.Equal((null, 1), (_picked, _reports));

        var required = RenderPicker(value: new AffectPoint(0.2, 0.4), required: true);
        required.Find("#va-valence").Change("");
        required.Find("#va-arousal").Change("");
        Assert.Equal("Observed affect: tap the plane, or type valence and arousal.", _error);
        Assert.Equal(1, _reports); // nothing more reported
    }

    [Fact]
    public void The_plane_and_the_numbers_have_labels_for_assistive_technology()
    {
        var picker = RenderPicker(value: new AffectPoint(0.5, 0.5));

        Assert.Equal("va-label", picker.Find("[role=group]").GetAttribute("aria-labelledby"));
        Assert.Contains("Valence (0 unpleasant", picker.Markup, StringComparison.Ordinal);
        Assert.Contains("Arousal (0 calm", picker.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<ValenceArousalPicker> RenderPicker(AffectPoint? value, bool required = false) =>
        Render<ValenceArousalPicker>(p => p
            .Add(x => x.Id, "va")
            .Add(x => x.Label, "Observed affect")
            .Add(x => x.Size, 200)
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, (AffectPoint? point) => { _picked = point; _reports++; })
            .Add(x => x.ErrorChanged, (string? error) => _error = error)
            .Add(x => x.Required, required));
}
