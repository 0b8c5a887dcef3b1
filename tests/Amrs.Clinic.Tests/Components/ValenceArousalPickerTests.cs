using Amrs.Clinic.Components.Shared;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Bunit;
using Microsoft.AspNetCore.Components.Web;

namespace Amrs.Clinic.Tests.Components;

public sealed class ValenceArousalPickerTests : ClinicComponentTest
{
    private AffectPoint? _picked;

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
        Assert.Equal(new AffectPoint(0.2, 0.9), _picked);
    }

    [Fact]
    public void The_plane_and_the_numbers_have_labels_for_assistive_technology()
    {
        var picker = RenderPicker(value: new AffectPoint(0.5, 0.5));

        Assert.Equal("va-label", picker.Find("[role=group]").GetAttribute("aria-labelledby"));
        Assert.Contains("Valence (0 unpleasant", picker.Markup, StringComparison.Ordinal);
        Assert.Contains("Arousal (0 calm", picker.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<ValenceArousalPicker> RenderPicker(AffectPoint? value) =>
        Render<ValenceArousalPicker>(p => p
            .Add(x => x.Id, "va")
            .Add(x => x.Label, "Observed affect")
            .Add(x => x.Size, 200)
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, (AffectPoint point) => _picked = point));
}
