namespace Amrs.Core.Patients;

/// <summary>
/// A patient, known only by a pseudonymous code. No names are stored anywhere in the clinic.
/// </summary>
public sealed record Patient(
    string PatientId,
    int BirthYear,
    CareSetting CareSetting,
    CognitiveStage CognitiveStage,
    IReadOnlyList<string> PreferredGenres,
    double? MaxArousal,
    IReadOnlyList<string> ExcludedGenres,
    bool Consent,
    // Preferred decade (e.g. 1960), or null when unknown.
    int? PreferredEra = null,
    string? ClinicianUserId = null,
    string? CareUnit = null);

public enum CareSetting
{
    Clinical,
    Consumer,
}

/// <summary>Stage of a neurocognitive condition; consumers are <see cref="None"/>.</summary>
public enum CognitiveStage
{
    None,
    Mild,
    Moderate,
    Severe,
}
