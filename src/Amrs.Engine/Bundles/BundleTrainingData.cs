using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Core.Splits;
using Amrs.Engine.Store;

namespace Amrs.Engine.Bundles;

/// <summary>
/// The logged data a bundle learns from (catalog, patients, their sessions) and where it came from. The split is
/// cold-start: patients, not sessions, go to training, validation or test.
/// </summary>
public sealed record BundleTrainingData(IReadOnlyList<Track> Catalog, IReadOnlyList<Patient> Patients, IReadOnlyList<LoggedSession> Sessions,
    string Source)
{
    /// <summary>SHA-256 over all tracks, patients and sessions (see <see cref="TrainingDataFingerprint"/>).</summary>
    public string Fingerprint() => TrainingDataFingerprint.Compute(Sessions, Catalog, Patients);

    /// <summary>The cold-start split over patients who have at least one logged session.</summary>
    public ColdStartSplit Split(int seed) => ColdStartSplitter.Split(Sessions.Select(s => s.PatientId).Distinct(StringComparer.Ordinal), seed);

    public IReadOnlyList<Patient> PatientsIn(IEnumerable<string> ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return Patients.Where(p => wanted.Contains(p.PatientId)).ToArray();
    }
}

/// <summary>The data cannot train a bundle; the message says why and what would.</summary>
public sealed class BundleTrainingException(string message) : Exception(message);
