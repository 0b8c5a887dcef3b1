using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Engine.Episodes;
using Amrs.Engine.Features;

namespace Amrs.Engine.Training;

/// <summary>
/// Training and validation histories with the featurisation fitted on the training side only: feature
/// scaling from the catalog and the training patients, the id vocabulary from tracks played by training
/// patients (so validation patients' unseen tracks stay unknown, as they would in the clinic).
/// </summary>
public sealed record WorldModelData(
    FeatureSpec Spec,
    TrackVocabulary Vocabulary,
    IReadOnlyList<Track> Catalog,
    IReadOnlyList<EncodedHistory> Training,
    IReadOnlyList<EncodedHistory> Validation)
{
    public static WorldModelData Prepare(
        IReadOnlyList<Track> catalog,
        IReadOnlyList<Patient> trainingPatients,
        IReadOnlyList<Patient> validationPatients,
        IReadOnlyList<LoggedSession> sessions)
    {
        var spec = FeatureSpec.Fit(catalog, trainingPatients);
        var trainingIds = trainingPatients.Select(p => p.PatientId).ToHashSet(StringComparer.Ordinal);
        var vocabulary = new TrackVocabulary(sessions
            .Where(s => trainingIds.Contains(s.PatientId))
            .SelectMany(s => s.Steps)
            .Select(s => s.TrackId));
        var encoder = new EpisodeEncoder(spec, vocabulary, catalog);
        var byPatient = sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        EncodedHistory[] Encode(IEnumerable<Patient> patients) => patients
            .Select(p => encoder.EncodeHistory(p, byPatient[p.PatientId]))
            .Where(h => h.Count > 0)
            .ToArray();
        return new WorldModelData(spec, vocabulary, catalog, Encode(trainingPatients), Encode(validationPatients));
    }

    public TokenLayout Layout => new(new TrackFeaturizer(Spec).Size, PatientFeatures.Size(Spec), HistorySummary.SizeFor(Spec.GenreBuckets));
}
