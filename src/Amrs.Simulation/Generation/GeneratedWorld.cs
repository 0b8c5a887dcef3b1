using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Simulation.Cohort;
using Amrs.Simulation.Truth;

namespace Amrs.Simulation.Generation;

/// <summary>
/// A generated world: what the clinic may see (catalog, patients, logged sessions) and, kept apart, the
/// truth behind it (traits and the response simulator) for evaluation only.
/// </summary>
public sealed class GeneratedWorld
{
    private readonly Dictionary<string, PatientTraits> _traits;
    private readonly Dictionary<string, Track> _tracks;

    internal GeneratedWorld(
        WorldConfig config,
        IReadOnlyList<Track> catalog,
        IReadOnlyList<SimulatedPatient> cohort,
        IReadOnlyList<LoggedSession> sessions)
    {
        Config = config;
        Catalog = catalog;
        Patients = cohort.Select(c => c.Patient).ToArray();
        Sessions = sessions;
        _traits = cohort.ToDictionary(c => c.Patient.PatientId, c => c.Traits, StringComparer.Ordinal);
        _tracks = catalog.ToDictionary(t => t.TrackId, StringComparer.Ordinal);
        Simulator = new ResponseSimulator(config);
    }

    public WorldConfig Config { get; }
    public IReadOnlyList<Track> Catalog { get; }
    public IReadOnlyList<Patient> Patients { get; }
    public IReadOnlyList<LoggedSession> Sessions { get; }

    /// <summary>The ground truth. Evaluation only: nothing the engine trains on may come from here.</summary>
    public ResponseSimulator Simulator { get; }

    public PatientTraits TraitsOf(string patientId) => _traits[patientId];

    public Track Track(string trackId) => _tracks[trackId];

    /// <summary>A fresh truth listener for the patient (no listening history yet).</summary>
    public SimulatedListener Listener(string patientId) => new(Simulator, TraitsOf(patientId));

    /// <summary>The population oracle of this world (built on demand; its trait draws have their own seed).</summary>
    public PopulationOracle PopulationOracle() => new(Simulator);
}
