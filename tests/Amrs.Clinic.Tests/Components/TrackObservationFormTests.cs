using Amrs.Clinic.Components.Pages.Care;
using Amrs.Clinic.Services.Delivery;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Delivery;
using Amrs.Data.Seeding;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Components;

public sealed class TrackObservationFormTests(CareClinic clinic) : ClinicComponentTest, IClassFixture<CareClinic>
{
    private readonly List<TrackObservation> _saved = [];

    [Fact]
    public void Every_choice_saves_the_whole_form_at_once()
    {
        var form = RenderForm(timerFraction: 0.42, save: Record);

        Choose(form, "f-Pleasure", "4");
        Choose(form, "f-Anger", "1");
        Choose(form, "f-engagement", nameof(TrackEngagement.Partial));
        Choose(form, "f-rating", "1");

        Assert.Equal(
        [
            new TrackObservation(Pleasure: 4),
            new TrackObservation(Pleasure: 4, Anger: 1),
            new TrackObservation(Pleasure: 4, Anger: 1, Engagement: TrackEngagement.Partial, ListenedFraction: 0.42),
            new TrackObservation(Pleasure: 4, Anger: 1, Engagement: TrackEngagement.Partial, ListenedFraction: 0.42, Rating: 1),
        ], _saved);
        Assert.Contains("Saved (version 4).", form.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_out_of_range_share_heard_is_refused_naming_the_field_and_never_sent()
    {
        var form = RenderForm(timerFraction: null, save: Record);

        Choose(form, "f-engagement", nameof(TrackEngagement.Partial));
        Assert.Contains("Listened fraction: a partly listened track needs", form.Find("[role=alert]").TextContent, StringComparison.Ordinal);

        form.Find("#f-fraction").Change("1.5");

        Assert.Contains("Listened fraction: 1.5 is outside 0 to 1.", form.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Empty(_saved);

        form.Find("#f-fraction").Change("0.5");
        Assert.Equal(new TrackObservation(Engagement: TrackEngagement.Partial, ListenedFraction: 0.5), Assert.Single(_saved));
        Assert.Empty(form.FindAll("[role=alert]"));
    }

    [Fact]
    public void An_observed_affect_out_of_range_is_shown_and_saved_only_once_corrected()
    {
        var form = RenderForm(timerFraction: null, save: Record);

        form.Find("#f-affect-valence").Change("7");
        form.Find("#f-affect-arousal").Change("0.4");
        Choose(form, "f-Pleasure", "3");

        Assert.Empty(_saved);
        Assert.Contains("Valence: 7 is outside 0 to 1.", form.Find("[role=alert]").TextContent, StringComparison.Ordinal);

        form.Find("#f-affect-valence").Change("0.7");
        Assert.Equal(new TrackObservation(Valence: 0.7, Arousal: 0.4, Pleasure: 3), Assert.Single(_saved));
    }

    [Fact]
    public void A_change_held_back_by_a_bad_affect_is_saved_once_the_affect_is_corrected_even_to_the_value_saved_before()
    {
        var form = RenderForm(timerFraction: null, save: Record);
        form.Find("#f-affect-valence").Change("0.5");
        form.Find("#f-affect-arousal").Change("0.4");
        Assert.Single(_saved);

        form.Find("#f-affect-valence").Change("7");
        Choose(form, "f-Pleasure", "3");
        Assert.Single(_saved);
        form.Find("#f-affect-valence").Change("0.5");

        Assert.Equal(2, _saved.Count);
        Assert.Equal(new TrackObservation(Valence: 0.5, Arousal: 0.4, Pleasure: 3), _saved[^1]);
        Assert.Empty(form.FindAll("[role=alert]"));
    }

    [Fact]
    public void Leaving_listened_partly_drops_the_share_field_and_its_error_so_saving_goes_on()
    {
        var form = RenderForm(timerFraction: 0.4, save: Record);
        Choose(form, "f-engagement", nameof(TrackEngagement.Partial));
        form.Find("#f-fraction").Change("5");
        var savedBefore = _saved.Count;

        Choose(form, "f-engagement", nameof(TrackEngagement.Full));
        Choose(form, "f-Pleasure", "3");

        Assert.Equal(savedBefore + 2, _saved.Count);
        Assert.Equal(new TrackObservation(Engagement: TrackEngagement.Full, Pleasure: 3), _saved[^1]);
        Assert.Empty(form.FindAll("[role=alert]"));
    }

    [Fact]
    public async Task OERS_scores_chosen_on_the_form_reach_the_service_and_the_database()
    {
        var (delivery, deliveries, scope) = await StartedSessionAsync();
        await using var _ = scope;
        var form = RenderForm(timerFraction: null, save: o => deliveries.SaveTrackAsync(delivery, 0, o));

        Choose(form, "f-Pleasure", "5");
        Choose(form, "f-Alertness", "3");
        Choose(form, "f-Sadness", "1");

        form.WaitForAssertion(() => Assert.Contains("Saved (version 3).", form.Find("[role=status]").TextContent, StringComparison.Ordinal));
        await using var db = await clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        var latest = await db.DeliveryObservations.Where(o => o.DeliveryId == delivery && o.Kind == ObservationKind.Track)
            .OrderByDescending(o => o.Version).FirstAsync();
        Assert.Equal((3, 5, 3, 1, (int?)null), (latest.Version, latest.Pleasure!.Value, latest.Alertness!.Value, latest.Sadness!.Value, latest.Anger));
    }

    [Fact]
    public async Task A_refusal_by_the_service_is_shown_on_the_form()
    {
        var (delivery, deliveries, scope) = await StartedSessionAsync();
        await using var _ = scope;
        var form = RenderForm(timerFraction: null, save: o => deliveries.SaveTrackAsync(delivery, 9, o)); // not in the approved list

        Choose(form, "f-Pleasure", "2");

        form.WaitForAssertion(() => Assert.Contains("Track: position 10 is not in the approved list", form.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty((await deliveries.GetAsync(delivery)).TrackObservations);
    }

    private Task<SaveResult> Record(TrackObservation observation)
    {
        _saved.Add(observation);
        return Task.FromResult(new SaveResult(_saved.Count, []));
    }

    private IRenderedComponent<TrackObservationForm> RenderForm(double? timerFraction, Func<TrackObservation, Task<SaveResult>> save) =>
        Render<TrackObservationForm>(p => p
            .Add(x => x.Id, "f")
            .Add(x => x.Observation, TrackObservation.Empty)
            .Add(x => x.Save, save)
            .Add(x => x.TimerFraction, timerFraction));

    private static void Choose(IRenderedComponent<TrackObservationForm> form, string group, string value) =>
        form.Find($"input[name='{group}'][value='{value}']").Change(true);

    private async Task<(Guid Delivery, DeliveryService Service, AsyncServiceScope Scope)> StartedSessionAsync()
    {
        var clinician = DemoAccounts.For(Roles.Clinician);
        var clinicianId = await SignedInScope.UserIdAsync(clinic.Factory, clinician.UserName);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, clinicianId);
        var approval = await CareSeed.AddApprovedPlaylistAsync(clinic.Services, clinic.Engine, patient, clinicianId, clinician.FullName);
        var scope = await SignedInScope.ForAsync(clinic.Factory, DemoAccounts.For(Roles.CareStaff).UserName);
        var deliveries = scope.ServiceProvider.GetRequiredService<DeliveryService>();
        var started = await deliveries.StartAsync(approval, new AffectPoint(0.5, 0.5));
        Assert.True(started.Started, started.Refusal);
        return (started.DeliveryId!.Value, deliveries, scope);
    }
}
