using Amrs.Core.Affect;
using Amrs.Core.Patients;
using Amrs.Simulation.Logging;
using static Amrs.Simulation.Tests.SmallWorld;

namespace Amrs.Simulation.Tests.Generation;

public sealed class CohortAndSessionTests
{
    [Fact]
    public void Patients_are_pseudonymous_and_plausible_for_their_care_setting()
    {
        var patients = World.Patients;

        Assert.All(patients, p => Assert.Matches("^P-[0-9]{6}$", p.PatientId));
        var clinical = patients.Where(p => p.CareSetting == CareSetting.Clinical).ToArray();
        var consumers = patients.Where(p => p.CareSetting == CareSetting.Consumer).ToArray();
        Assert.NotEmpty(clinical);
        Assert.NotEmpty(consumers);
        Assert.All(clinical, p =>
        {
            Assert.InRange(p.BirthYear, 1930, 1955);
            Assert.NotEqual(CognitiveStage.None, p.CognitiveStage);
            Assert.Matches("^Unit [A-D]$", p.CareUnit!);
        });
        Assert.All(consumers, p =>
        {
            Assert.InRange(p.BirthYear, 1950, 2005);
            Assert.Equal(CognitiveStage.None, p.CognitiveStage);
            Assert.Null(p.CareUnit);
        });
        Assert.All(patients, p => Assert.InRange(p.PreferredGenres.Count, 1, 3));
        Assert.InRange(patients.Count(p => p.Consent) / (double)patients.Count, 0.85, 1.0);
        Assert.Contains(patients, p => p.MaxArousal is not null);
        Assert.Contains(patients, p => p.ExcludedGenres.Count > 0);
    }

    [Fact]
    public void Consenting_patients_have_about_ten_sessions_of_about_twelve_tracks()
    {
        var consenting = World.Patients.Where(p => p.Consent).Select(p => p.PatientId).ToHashSet();
        var perPatient = World.Sessions.GroupBy(s => s.PatientId).ToArray();

        Assert.True(perPatient.All(g => consenting.Contains(g.Key)), "a patient without consent has logged sessions");
        Assert.Equal(consenting.Count, perPatient.Length);
        Assert.InRange(perPatient.Average(g => g.Count()), 9, 11);
        Assert.InRange(World.Sessions.Average(s => s.Steps.Count), 11, 13);
        Assert.Equal(World.Sessions.Count, World.Sessions.Select(s => s.SessionId).Distinct().Count());
    }

    [Fact]
    public void Logged_sessions_respect_contraindications_mode_limits_and_never_repeat_a_track()
    {
        var patients = World.Patients.ToDictionary(p => p.PatientId);
        foreach (var session in World.Sessions)
        {
            var patient = patients[session.PatientId];
            var limit = Math.Min(patient.MaxArousal ?? 1, ModeTargets.MaxTrackArousal(session.Mode));
            Assert.Equal(session.Steps.Count, session.Steps.Select(s => s.TrackId).Distinct().Count());
            Assert.Equal(Enumerable.Range(0, session.Steps.Count), session.Steps.Select(s => s.Position));
            foreach (var step in session.Steps)
            {
                var track = World.Track(step.TrackId);
                Assert.True(track.Arousal <= limit, $"{track.TrackId} is above the arousal limit of {session.SessionId}");
                Assert.DoesNotContain(track.Genre, patient.ExcludedGenres);
                Assert.InRange(step.Propensity!.Value, double.Epsilon, 1);
                Assert.InRange(step.Engagement, 0, 1);
            }
        }
    }

    [Fact]
    public void Modes_and_targets_follow_the_care_setting()
    {
        var setting = World.Patients.ToDictionary(p => p.PatientId, p => p.CareSetting);
        var clinicalSessions = World.Sessions.Where(s => setting[s.PatientId] == CareSetting.Clinical).ToArray();
        var consumerSessions = World.Sessions.Where(s => setting[s.PatientId] == CareSetting.Consumer).ToArray();

        Assert.InRange(clinicalSessions.Count(s => s.Mode == SessionMode.Clinical) / (double)clinicalSessions.Length, 0.75, 0.95);
        Assert.DoesNotContain(consumerSessions, s => s.Mode == SessionMode.Clinical);
        Assert.Equal(4, consumerSessions.Select(s => s.Mode).Distinct().Count());
        Assert.All(World.Sessions.Where(s => s.Mode != SessionMode.Clinical), s => Assert.Equal(ModeTargets.DefaultTarget(s.Mode), s.Target));
        var clinicalTargets = World.Sessions.Where(s => s.Mode == SessionMode.Clinical).Select(s => s.Target).ToArray();
        Assert.True(clinicalTargets.Distinct().Count() > 20, "clinician targets do not vary");
        var centre = ModeTargets.DefaultTarget(SessionMode.Clinical);
        Assert.InRange(clinicalTargets.Average(t => t.Arousal), centre.Arousal - 0.03, centre.Arousal + 0.03);
    }

    [Fact]
    public void Observation_rates_match_the_configuration()
    {
        var steps = World.Sessions.SelectMany(s => s.Steps).ToArray();

        Assert.InRange(steps.Count(s => s.Rating is not null) / (double)steps.Length, 0.18, 0.22);
        Assert.InRange(steps.Count(s => s.HasAffect) / (double)steps.Length, 0.28, 0.32);
        Assert.All(steps, s => Assert.Equal(s.Valence is null, s.Arousal is null));
    }

    [Fact]
    public void Propensities_are_the_softmax_probabilities_of_the_choices()
    {
        var session = World.Sessions[0];
        var patient = World.Patients.Single(p => p.PatientId == session.PatientId);
        var eligible = World.Catalog.Where(t => LoggingPolicy.IsEligible(patient, session.Mode, t)).ToArray();
        double Weight(Amrs.Core.Catalog.Track t) => Math.Exp(LoggingPolicy.Score(patient, session.Target, t) / World.Config.LoggingTemperature);

        var first = World.Track(session.Steps[0].TrackId);
        var expected = Weight(first) / eligible.Sum(Weight);

        Assert.Equal(expected, session.Steps[0].Propensity!.Value, 9);
    }
}
