using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;

namespace Amrs.Data.Clinical;

/// <summary>A whole set of clinical data to store at once (the generated demo world).</summary>
public sealed record ClinicalDataSet(IReadOnlyList<Track> Catalog, IReadOnlyList<Patient> Patients, IReadOnlyList<LoggedSession> Sessions)
{
    public int StepCount => Sessions.Sum(s => s.Steps.Count);
}

/// <summary>How far a long data operation is: a stage (validating, writing...) and the fraction of it done.</summary>
public readonly record struct DataProgress(string Stage, double Fraction, long Rows);
