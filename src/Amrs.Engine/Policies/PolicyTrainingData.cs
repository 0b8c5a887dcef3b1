using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.Training;

namespace Amrs.Engine.Policies;

/// <summary>
/// Logged histories of the training and validation patients, featurised as for the world model (scaling fitted
/// on the training side, vocabulary from the training patients' plays), and the patients' records, which decide
/// the hard constraints of every choice.
/// </summary>
public sealed class PolicyTrainingData
{
    private readonly Dictionary<(string, SessionMode), bool[]> _allowed = new();

    private PolicyTrainingData(WorldModelData histories, IReadOnlyDictionary<string, Patient> patients, ILookup<string, LoggedSession> sessions)
    {
        Histories = histories;
        Patients = patients;
        Sessions = sessions;
    }

    /// <summary>The logged sessions by patient id (to encode histories for another model, e.g. the world model).</summary>
    public ILookup<string, LoggedSession> Sessions { get; }

    public WorldModelData Histories { get; }
    public IReadOnlyDictionary<string, Patient> Patients { get; }
    public IReadOnlyList<Track> Catalog => Histories.Catalog;

    public static PolicyTrainingData Prepare(IReadOnlyList<Track> catalog, IReadOnlyList<Patient> trainingPatients,
        IReadOnlyList<Patient> validationPatients, IReadOnlyList<LoggedSession> sessions) =>
        new(WorldModelData.Prepare(catalog, trainingPatients, validationPatients, sessions),
            trainingPatients.Concat(validationPatients).ToDictionary(p => p.PatientId, StringComparer.Ordinal),
            sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal));

    /// <summary>
    /// Catalog tracks the mode's default profile allows for a patient (cached; do not modify the array).
    /// Catalog order is the order of <see cref="Catalog"/>.
    /// </summary>
    internal bool[] AllowedFor(string patientId, SessionMode mode)
    {
        if (_allowed.TryGetValue((patientId, mode), out var mask)) return mask;
        var patient = Patients[patientId];
        var profile = UtilityProfile.DefaultFor(mode);
        mask = Catalog.Select(t => TrackConstraints.IsAllowed(t, patient, profile)).ToArray();
        _allowed[(patientId, mode)] = mask;
        return mask;
    }

    internal static AffectPoint? LastObservedAffect(IEnumerable<EncodedStep> steps)
    {
        EncodedStep? last = null;
        foreach (var step in steps)
            if (step.Observed[Signals.Valence] > 0 && step.Observed[Signals.Arousal] > 0) last = step;
        return last is null ? null : new AffectPoint(last.Outcomes[Signals.Valence], last.Outcomes[Signals.Arousal]);
    }
}
