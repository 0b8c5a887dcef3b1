using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Engine.WorldModels;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>
/// How often the out-of-distribution check flags a set of previews; <see cref="FlaggedByScore"/> counts those whose
/// calibrated score alone is over the threshold (without the rule on mostly unseen tracks), so a reader sees which
/// part of the check found them.
/// </summary>
public sealed record OodRate(string Name, string Description, int Previews, int Flagged, int FlaggedByScore)
{
    public double Rate => Previews == 0 ? double.NaN : (double)Flagged / Previews;

    public double RateByScore => Previews == 0 ? double.NaN : (double)FlaggedByScore / Previews;
}

/// <summary>
/// Flag rates of the model's out-of-distribution check on previews: one preview per held-out session (the
/// patient's history before it, the session's mode and target, its logged playlist).
/// </summary>
public static class OodRates
{
    /// <summary>Previews are spread evenly over the sessions when there are more than this (keeps it fast).</summary>
    public const int MaxPreviews = 400;

    /// <param name="playlistFor">
    /// Replaces a probe's logged playlist (for example by other music for the same session); null keeps it.
    /// </param>
    public static OodRate Measure(string name, string description, WorldModelEnsemble model,
        IReadOnlyList<Track> catalog, IEnumerable<Patient> patients, IReadOnlyList<LoggedSession> sessions,
        Func<OodProbe, IReadOnlyList<Track>>? playlistFor = null)
    {
        var encoder = model.CreateEncoder(catalog);
        var byPatient = sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        var histories = patients.Select(p => encoder.EncodeHistory(p, byPatient[p.PatientId])).Where(h => h.Count > 0);
        var probes = OodProbe.FromHistories(histories).ToArray();
        if (probes.Length > MaxPreviews)
        {
            var stride = (double)probes.Length / MaxPreviews;
            probes = Enumerable.Range(0, MaxPreviews).Select(i => probes[(int)(i * stride)]).ToArray();
        }
        var flagged = 0;
        var byScore = 0;
        foreach (var probe in probes)
        {
            using var playlist = playlistFor is null ? CandidateSet.FromSteps(probe.Playlist) : model.PrepareCandidates(playlistFor(probe));
            var assessment = model.AssessPlaylist(probe.History, probe.Next, playlist);
            if (assessment.IsOutOfDistribution) flagged++;
            if (assessment.Score > assessment.Threshold) byScore++;
        }
        return new OodRate(name, description, probes.Length, flagged, byScore);
    }

    /// <summary>
    /// A clinician's session built from <paramref name="songs"/> instead: for each logged track in turn, the song
    /// nearest to it in valence and arousal that the playlist does not hold yet (same affect path, real music).
    /// </summary>
    public static Func<OodProbe, IReadOnlyList<Track>> NearestSongs(IReadOnlyList<Track> songs) => probe =>
    {
        var chosen = new List<Track>();
        foreach (var step in probe.Playlist)
        {
            var (valence, arousal) = (step.Track[0], step.Track[1]);
            chosen.Add(songs.Where(s => !chosen.Contains(s))
                .MinBy(s => (s.Valence - valence) * (s.Valence - valence) + (s.Arousal - arousal) * (s.Arousal - arousal))!);
        }
        return chosen;
    };

    /// <summary>
    /// The same patients and sessions on a catalog unlike the training one: every track under a new id (never
    /// seen) and recorded as if from another era and production style: years 60 earlier, tempo 1.5 times faster,
    /// 10 dB louder, energy and acousticness swapped, danceability inverted. Affect annotations stay as they were.
    /// </summary>
    public static (IReadOnlyList<Track> Catalog, IReadOnlyList<LoggedSession> Sessions) ShiftedCatalog(
        IReadOnlyList<Track> catalog, IReadOnlyList<LoggedSession> sessions)
    {
        const string prefix = "shifted";
        var shifted = catalog.Select(t => t with
        {
            TrackId = Rename(prefix, t.TrackId),
            Year = t.Year - 60,
            Audio = t.Audio is not { } a ? null : a with
            {
                Tempo = a.Tempo * 1.5,
                Loudness = a.Loudness + 10,
                Energy = a.Acousticness,
                Acousticness = a.Energy,
                Danceability = 1 - a.Danceability,
            },
        }).ToArray();
        return (shifted, RenameTracks(sessions, prefix));
    }

    /// <summary>
    /// Another world's catalog shares the id pattern (T-00001, ...) but not the tracks: its ids get a prefix so
    /// the model treats them as the unseen tracks they are.
    /// </summary>
    public static (IReadOnlyList<Track> Catalog, IReadOnlyList<LoggedSession> Sessions) ForeignCatalog(
        IReadOnlyList<Track> catalog, IReadOnlyList<LoggedSession> sessions, string prefix) =>
        (catalog.Select(t => t with { TrackId = Rename(prefix, t.TrackId) }).ToArray(), RenameTracks(sessions, prefix));

    private static string Rename(string prefix, string id) => $"{prefix}:{id}";

    private static IReadOnlyList<LoggedSession> RenameTracks(IReadOnlyList<LoggedSession> sessions, string prefix) =>
        sessions.Select(s => s with { Steps = s.Steps.Select(step => step with { TrackId = Rename(prefix, step.TrackId) }).ToArray() }).ToArray();
}
