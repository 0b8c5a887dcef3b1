using Amrs.Core.Affect;
using Amrs.Core.Import;
using Amrs.Core.Sessions;
using static Amrs.Core.Tests.Import.CsvText;

namespace Amrs.Core.Tests.Import;

public sealed class SessionLogCsvTests
{
    private const string Header = "session_id,patient_id,position,track_id,started_at,mode,target_valence,target_arousal,engagement,rating,valence,arousal";

    [Fact]
    public void Rows_are_grouped_into_sessions_ordered_by_position_with_times_in_utc()
    {
        var csv = $"{Header}\n"
            + "S1,P1,1,T9,2025-03-01T14:30:00+02:00,clinical,0.7,0.3,0.8,,,\n"
            + "S1,P1,0,T4,2025-03-01T14:30:00+02:00,clinical,0.7,0.3,1,1,0.55,0.4\n"
            + "S2,P1,0,T4,2025-03-02T09:00:00Z,calm,,,0.25,0,,\n";

        var result = SessionLogCsv.Read(Utf8(csv));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var s1 = result.Values[0];
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 12, 30, 0, TimeSpan.Zero), s1.Session.StartedAt);
        Assert.Equal(TimeSpan.Zero, s1.Session.StartedAt.Offset);
        Assert.Equal(new AffectPoint(0.7, 0.3), s1.Session.Target);
        Assert.Equal(["T4", "T9"], s1.Session.Steps.Select(s => s.TrackId));
        Assert.Equal([3, 2], s1.StepLines);
        Assert.Equal(new LoggedStep(0, "T4", 1, 1, 0.55, 0.4), s1.Session.Steps[0]);
        Assert.Equal(new LoggedStep(1, "T9", 0.8, null, null, null), s1.Session.Steps[1]);
        var s2 = result.Values[1].Session;
        Assert.Equal(SessionMode.Calm, s2.Mode);
        Assert.Equal(ModeTargets.DefaultTarget(SessionMode.Calm), s2.Target);
    }

    [Theory]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00,calm,,,0.5,,,", "started_at", "offset")]
    [InlineData("S1,P1,0,T1,01/03/2025 14:30 +01:00,calm,,,0.5,,,", "started_at", "ISO 8601")]
    [InlineData("S1,P1,0,T1,2025-02-30T14:30:00Z,calm,,,0.5,,,", "started_at", "ISO 8601")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,relax,,,0.5,,,", "mode", "not one of")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,,,,0.5,,,", "mode", "required")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,clinical,,,0.5,,,", "target_valence", "clinician-set target")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,clinical,0.7,,0.5,,,", "target_arousal", "both")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,calm,,,,,,", "engagement", "required")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,calm,,,1.2,,,", "engagement", "out of range")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,calm,,,0.5,2,,", "rating", "out of range")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,calm,,,0.5,yes,,", "rating", "whole number")]
    [InlineData("S1,P1,-1,T1,2025-03-01T14:30:00Z,calm,,,0.5,,,", "position", "out of range")]
    [InlineData("S1,P1,0,T1,2025-03-01T14:30:00Z,calm,,,0.5,,0.5,x", "arousal", "not a number")]
    public void Bad_session_rows_are_reported(string row, string column, string reason)
    {
        var result = SessionLogCsv.Read(Utf8($"{Header}\n{row}\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Records);
    }

    [Fact]
    public void Rows_of_one_session_must_be_together_and_agree()
    {
        var csv = $"{Header}\n"
            + "S1,P1,0,T1,2025-03-01T14:30:00Z,calm,,,0.5,,,\n"
            + "S1,P2,1,T2,2025-03-01T14:30:00Z,calm,,,0.5,,,\n"
            + "S2,P1,0,T1,2025-03-02T14:30:00Z,calm,,,0.5,,,\n"
            + "S2,P1,0,T3,2025-03-02T14:30:00Z,calm,,,0.5,,,\n"
            + "S3,P1,0,T1,2025-03-03T14:30:00Z,sleep,,,0.5,,,\n"
            + "S1,P1,2,T5,2025-03-01T14:30:00Z,calm,,,0.5,,,\n";

        var result = SessionLogCsv.Read(Utf8(csv));

        Assert.Equal([(3, "patient_id"), (5, "position"), (7, "session_id")], result.Errors.Select(e => (e.Line, e.Column!)));
        Assert.Equal("S3", Assert.Single(result.Values).Session.SessionId);
    }

    [Fact]
    public void Unknown_patients_and_tracks_are_reported_on_their_lines()
    {
        var csv = $"{Header}\n"
            + "S1,P1,0,T1,2025-03-01T14:30:00Z,calm,,,0.5,,,\n"
            + "S1,P1,1,T-missing,2025-03-01T14:30:00Z,calm,,,0.5,,,\n"
            + "S2,P-missing,0,T1,2025-03-02T14:30:00Z,calm,,,0.5,,,\n";
        var sessions = SessionLogCsv.Read(Utf8(csv)).Values;

        var errors = SessionReferenceCheck.Validate(sessions, new HashSet<string> { "P1" }, new HashSet<string> { "T1" });

        Assert.Equal([(3, "track_id"), (4, "patient_id")], errors.Select(e => (e.Line, e.Column!)));
    }

    [Fact]
    public void Written_session_logs_read_back_identically()
    {
        LoggedSession[] sessions =
        [
            new("S1", "P1", new DateTimeOffset(2025, 3, 1, 14, 35, 12, 345, TimeSpan.FromHours(2)), SessionMode.Clinical, new(0.72, 0.31),
            [
                new LoggedStep(0, "T1", 0.913, 1, 0.55, 0.41, 0.0123456789),
                new LoggedStep(1, "T,2", 1.0 / 3, null, null, 0.2, null),
            ]),
            new("S2", "P2", new DateTimeOffset(2025, 3, 2, 9, 0, 0, TimeSpan.Zero), SessionMode.Sleep, ModeTargets.DefaultTarget(SessionMode.Sleep),
                [new LoggedStep(0, "T3", 0, 0, null, null)]),
        ];
        using var stream = new MemoryStream();
        SessionLogCsv.Write(stream, sessions);
        stream.Position = 0;

        var result = SessionLogCsv.Read(stream);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(sessions.Length, result.Values.Count);
        for (var i = 0; i < sessions.Length; i++)
        {
            var read = result.Values[i].Session;
            Assert.Equal(sessions[i] with { Steps = [] }, read with { Steps = [] });
            Assert.Equal(sessions[i].Steps, read.Steps);
        }
    }
}
