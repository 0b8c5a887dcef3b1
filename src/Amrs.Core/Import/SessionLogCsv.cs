using System.Globalization;
using System.Text.RegularExpressions;
using Amrs.Core.Affect;
using Amrs.Core.Sessions;

namespace Amrs.Core.Import;

/// <summary>A session read from a session log, with the lines its rows came from (for later reference checks).</summary>
public sealed record ImportedSession(LoggedSession Session, int FirstLine, IReadOnlyList<int> StepLines);

/// <summary>
/// The session-log CSV, one row per played track:
/// <c>session_id,patient_id,position,track_id,started_at,mode,target_valence,target_arousal,engagement,rating,
/// valence,arousal</c>, plus the optional <c>propensity</c> (the logging policy's probability of the choice).
/// started_at is ISO 8601 with an offset (Z or +hh:mm) and is stored as UTC; mode is clinical, energize, focus,
/// calm or sleep; targets are required for clinical sessions and default to the mode's target otherwise;
/// rating is 0 or 1; an empty rating, valence or arousal cell means not observed. The rows of a session must be
/// contiguous (so the file can be read with memory bounded by one session) and agree on the session's
/// patient, start, mode and target; positions are unique within a session (generated logs count from 0) and
/// steps are ordered by position.
/// </summary>
public static partial class SessionLogCsv
{
    public static readonly IReadOnlyList<string> RequiredColumns =
    [
        "session_id", "patient_id", "position", "track_id", "started_at", "mode", "target_valence", "target_arousal",
        "engagement", "rating", "valence", "arousal",
    ];

    public static readonly IReadOnlyList<string> OptionalColumns = ["propensity"];

    private static readonly CsvSchema _schema = new(RequiredColumns, OptionalColumns);

    private static readonly Dictionary<string, SessionMode> _modes =
        Enum.GetValues<SessionMode>().ToDictionary(m => m.ToString().ToLowerInvariant());

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Iso8601WithOffset();

    public static CsvReadResult<ImportedSession> Read(Stream stream)
    {
        var errors = new List<CsvError>();
        var records = ReadStreaming(stream, errors).ToList();
        return new CsvReadResult<ImportedSession>(records, errors);
    }

    /// <summary>Streams sessions as each one ends; a session with any rejected row is left out (its errors stay).</summary>
    public static IEnumerable<CsvRecord<ImportedSession>> ReadStreaming(Stream stream, List<CsvError> errors)
    {
        var finished = new Dictionary<string, int>(StringComparer.Ordinal);
        SessionBuilder? current = null;
        foreach (var parsed in CsvParsing.Rows(stream, _schema, errors, Parse))
        {
            if (parsed.SessionId.Length == 0)
                continue; // No session to attach the row to; its error is recorded.
            if (current?.SessionId != parsed.SessionId)
            {
                if (current is not null && current.Build() is { } done)
                    yield return done;
                if (current is not null)
                    finished[current.SessionId] = current.FirstLine;
                if (finished.TryGetValue(parsed.SessionId, out var firstLine))
                {
                    parsed.Row.Error("session_id", $"rows of session '{parsed.SessionId}' are not together (it started on line {firstLine}); keep a session's rows contiguous");
                    current = null;
                    continue;
                }
                current = new SessionBuilder(parsed);
            }
            current.Add(parsed);
        }
        if (current?.Build() is { } last)
            yield return last;
    }

    private static ParsedRow Parse(CsvRow row)
    {
        var sessionId = row.Id("session_id");
        var patientId = row.Id("patient_id");
        var position = row.RequiredInteger("position", 0, 100_000);
        var trackId = row.Id("track_id");
        var startedAt = StartedAt(row);
        var mode = row.Choice("mode", _modes);
        if (mode is null && row.Text("mode") is null)
            row.Error("mode", "a value is required");
        var targetValence = row.Number("target_valence", 0, 1);
        var targetArousal = row.Number("target_arousal", 0, 1);
        AffectPoint target = default;
        if (targetValence is { } tv && targetArousal is { } ta)
            target = new AffectPoint(tv, ta);
        else if (targetValence is not null || targetArousal is not null)
            row.Error(targetValence is null ? "target_valence" : "target_arousal", "give both target values or neither");
        else if (mode is { } m && !row.HasErrors)
        {
            if (ModeTargets.HasClinicianTarget(m))
                row.Error(row.Text("target_valence") is null ? "target_valence" : "target_arousal", "a clinical session needs a clinician-set target");
            else
                target = ModeTargets.DefaultTarget(m);
        }
        var engagement = row.RequiredNumber("engagement", 0, 1);
        var rating = row.Integer("rating", 0, 1);
        var valence = row.Number("valence", 0, 1);
        var arousal = row.Number("arousal", 0, 1);
        var propensity = row.Number("propensity", double.Epsilon, 1);
        return new ParsedRow(
            row, sessionId, patientId, startedAt, mode ?? default, target,
            new LoggedStep(position, trackId, engagement, rating, valence, arousal, propensity));
    }

    private static DateTimeOffset StartedAt(CsvRow row)
    {
        var text = row.Text("started_at")?.Trim();
        if (text is null)
        {
            row.Error("started_at", "a value is required");
            return default;
        }
        if (!Iso8601WithOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            row.Error("started_at", $"'{text}' is not an ISO 8601 time with an offset, such as 2025-03-01T14:30:00+01:00 or 2025-03-01T13:30:00Z");
            return default;
        }
        return value.ToUniversalTime();
    }

    public static void Write(Stream stream, IEnumerable<LoggedSession> sessions)
    {
        using var writer = CsvWriting.Writer(stream);
        Write(writer, sessions);
    }

    public static void Write(TextWriter writer, IEnumerable<LoggedSession> sessions)
    {
        CsvWriting.WriteRow(writer, [.. RequiredColumns, .. OptionalColumns]);
        foreach (var s in sessions)
        {
            var startedAt = s.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
            foreach (var step in s.Steps)
            {
                CsvWriting.WriteRow(writer,
                [
                    s.SessionId, s.PatientId, CsvWriting.Number(step.Position), step.TrackId, startedAt,
                    s.Mode.ToString().ToLowerInvariant(), CsvWriting.Number(s.Target.Valence), CsvWriting.Number(s.Target.Arousal),
                    CsvWriting.Number(step.Engagement), CsvWriting.Number(step.Rating), CsvWriting.Number(step.Valence),
                    CsvWriting.Number(step.Arousal), CsvWriting.Number(step.Propensity),
                ]);
            }
        }
    }

    private sealed record ParsedRow(
        CsvRow Row, string SessionId, string PatientId, DateTimeOffset StartedAt, SessionMode Mode, AffectPoint Target, LoggedStep Step);

    /// <summary>Collects one session's rows and checks that they agree with its first row.</summary>
    private sealed class SessionBuilder(ParsedRow first)
    {
        private readonly List<(int Line, LoggedStep Step)> _steps = [];
        private readonly Dictionary<int, int> _positions = [];
        private bool _failed;

        public string SessionId => first.SessionId;

        public int FirstLine => first.Row.Line;

        public void Add(ParsedRow row)
        {
            if (!row.Row.HasErrors)
            {
                if (row.PatientId != first.PatientId)
                    Mismatch(row, "patient_id");
                if (row.StartedAt != first.StartedAt)
                    Mismatch(row, "started_at");
                if (row.Mode != first.Mode)
                    Mismatch(row, "mode");
                if (row.Target != first.Target)
                    Mismatch(row, "target_valence");
                if (!_positions.TryAdd(row.Step.Position, row.Row.Line))
                    row.Row.Error("position", $"position {row.Step.Position} of session '{SessionId}' appears twice (first on line {_positions[row.Step.Position]})");
            }
            _failed |= row.Row.HasErrors;
            _steps.Add((row.Row.Line, row.Step));
        }

        private void Mismatch(ParsedRow row, string column) =>
            row.Row.Error(column, $"differs from the first row of session '{SessionId}' (line {FirstLine})");

        public CsvRecord<ImportedSession>? Build()
        {
            if (_failed || _steps.Count == 0 || first.Row.HasErrors)
                return null;
            var ordered = _steps.OrderBy(s => s.Step.Position).ToArray();
            var session = new LoggedSession(first.SessionId, first.PatientId, first.StartedAt, first.Mode, first.Target,
                ordered.Select(s => s.Step).ToArray());
            return new CsvRecord<ImportedSession>(FirstLine, new ImportedSession(session, FirstLine, ordered.Select(s => s.Line).ToArray()));
        }
    }
}
