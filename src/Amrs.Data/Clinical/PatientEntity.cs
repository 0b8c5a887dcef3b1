using Amrs.Core.Patients;

namespace Amrs.Data.Clinical;

/// <summary>A patient as stored: a pseudonymous code, never a name.</summary>
public sealed class PatientEntity
{
    public required string PatientId { get; set; }
    public int BirthYear { get; set; }
    public CareSetting CareSetting { get; set; }
    public CognitiveStage CognitiveStage { get; set; }
    public List<string> PreferredGenres { get; set; } = [];
    public double? MaxArousal { get; set; }
    public List<string> ExcludedGenres { get; set; } = [];
    public bool Consent { get; set; }
    public int? PreferredEra { get; set; }

    /// <summary>The responsible clinician (an account id), assigned by an Admin.</summary>
    public string? ClinicianUserId { get; set; }

    public string? CareUnit { get; set; }

    public Patient ToDomain() => new(PatientId, BirthYear, CareSetting, CognitiveStage, PreferredGenres.ToArray(),
        MaxArousal, ExcludedGenres.ToArray(), Consent, PreferredEra, ClinicianUserId, CareUnit);

    public static PatientEntity From(Patient patient) => new()
    {
        PatientId = patient.PatientId,
        BirthYear = patient.BirthYear,
        CareSetting = patient.CareSetting,
        CognitiveStage = patient.CognitiveStage,
        PreferredGenres = [.. patient.PreferredGenres],
        MaxArousal = patient.MaxArousal,
        ExcludedGenres = [.. patient.ExcludedGenres],
        Consent = patient.Consent,
        PreferredEra = patient.PreferredEra,
        ClinicianUserId = patient.ClinicianUserId,
        CareUnit = patient.CareUnit,
    };
}
