using Amrs.Engine.Episodes;
using Amrs.Engine.Features;

namespace Amrs.Engine.Tests.Episodes;

public sealed class EpisodeEncoderTests
{
    [Fact]
    public void Sessions_are_concatenated_chronologically_with_session_starts_and_observed_flags()
    {
        var world = new ToyWorld(patients: 2, sessionsPerPatient: 3, stepsPerSession: 4);
        var patient = world.Patients[0];
        var sessions = world.Sessions.Where(s => s.PatientId == patient.PatientId).Reverse().ToArray();
        var encoder = new EpisodeEncoder(FeatureSpec.Fit(world.Catalog, world.Patients), new TrackVocabulary([]), world.Catalog);

        var history = encoder.EncodeHistory(patient, sessions);

        Assert.Equal(12, history.Count);
        Assert.Equal(["p00-s0", "p00-s1", "p00-s2"], history.Steps.Select(s => s.SessionId).Distinct());
        Assert.Equal([0, 4, 8], history.Steps.Select((s, i) => (s, i)).Where(x => x.s.Context.StartsSession).Select(x => x.i));
        Assert.Equal([0, 1, 2], history.Steps.Select(s => s.SessionOrdinal).Distinct());
        var logged = sessions.Single(s => s.SessionId == "p00-s0").Steps;
        for (var i = 0; i < 4; i++)
        {
            var step = history.Steps[i];
            Assert.Equal(1f, step.Observed[Signals.Engagement]);
            Assert.Equal(logged[i].Valence is null ? 0f : 1f, step.Observed[Signals.Valence]);
            Assert.Equal(logged[i].Rating is null ? 0f : 1f, step.Observed[Signals.Rating]);
            if (logged[i].Valence is null) Assert.Equal(0f, step.Outcomes[Signals.Valence]);
        }
    }

    [Fact]
    public void Truncation_keeps_the_most_recent_steps()
    {
        var world = new ToyWorld(patients: 1, sessionsPerPatient: 3, stepsPerSession: 10);
        var encoder = new EpisodeEncoder(FeatureSpec.Fit(world.Catalog, world.Patients), new TrackVocabulary([]), world.Catalog);
        var history = encoder.EncodeHistory(world.Patients[0], world.Sessions);

        var last = history.TakeLast(8);

        Assert.Equal(8, last.Count);
        Assert.Equal(history.Steps.Skip(22), last.Steps);
    }
}
