using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Core.Splits;
using Amrs.Engine.Store;
using Amrs.Simulation.Generation;

namespace Amrs.Cli.WorldModels;

/// <summary>
/// Logged data a world model learns from: the catalog, the patients and their sessions, where they came from,
/// and (for a generated world) the simulator configuration hash. Never carries the truth behind the data.
/// </summary>
public sealed record TrainingData(
    IReadOnlyList<Track> Catalog,
    IReadOnlyList<Patient> Patients,
    IReadOnlyList<LoggedSession> Sessions,
    string Source,
    string? SimulatorConfigHash)
{
    public static TrainingData FromWorld(GeneratedWorld world, WorldChoice choice) =>
        new(world.Catalog, world.Patients, world.Sessions, $"generated world {choice}", world.Config.ConfigHash);

    /// <summary>SHA-256 over all tracks, patients and sessions (see <see cref="TrainingDataFingerprint"/>).</summary>
    public string Fingerprint() => TrainingDataFingerprint.Compute(Sessions, Catalog, Patients);

    /// <summary>The cold-start split over patients who have at least one logged session.</summary>
    public ColdStartSplit Split(int seed) =>
        ColdStartSplitter.Split(Sessions.Select(s => s.PatientId), seed);

    public IReadOnlyList<Patient> PatientsIn(IReadOnlyList<string> ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return Patients.Where(p => wanted.Contains(p.PatientId)).ToArray();
    }
}
