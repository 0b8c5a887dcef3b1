namespace Amrs.Core.Import;

/// <summary>
/// Checks imported sessions against the patients and tracks the clinic knows (the caller loads the id sets,
/// e.g. from the database), reporting each unknown reference on the line it came from.
/// </summary>
public static class SessionReferenceCheck
{
    public static IReadOnlyList<CsvError> Validate(
        IEnumerable<ImportedSession> sessions, IReadOnlySet<string> knownPatientIds, IReadOnlySet<string> knownTrackIds)
    {
        var errors = new List<CsvError>();
        foreach (var imported in sessions)
        {
            var session = imported.Session;
            if (!knownPatientIds.Contains(session.PatientId))
                errors.Add(new CsvError(imported.FirstLine, "patient_id", $"unknown patient '{session.PatientId}'; import the patient first"));
            for (var i = 0; i < session.Steps.Count; i++)
            {
                var trackId = session.Steps[i].TrackId;
                if (!knownTrackIds.Contains(trackId))
                    errors.Add(new CsvError(imported.StepLines[i], "track_id", $"unknown track '{trackId}'; import it into the catalog first"));
            }
        }
        return errors;
    }
}
