using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;

namespace Amrs.Engine.Store;

/// <summary>
/// SHA-256 over a canonical serialisation of the training data: tracks, patients and sessions each sorted by
/// id, steps by position, numbers in round-trip invariant form, strings length-prefixed, nulls explicit. The
/// same data in any order gives the same fingerprint; any changed value gives another.
/// </summary>
public static class TrainingDataFingerprint
{
    public static string Compute(IEnumerable<LoggedSession> sessions, IEnumerable<Track> catalog, IEnumerable<Patient>? patients = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();

        foreach (var t in catalog.OrderBy(t => t.TrackId, StringComparer.Ordinal))
        {
            var a = t.Audio;
            Emit("track", t.TrackId, t.Title, t.Artist, t.Valence, t.Arousal, t.Year, t.Genre, t.DurationSeconds,
                a?.Energy, a?.Tempo, a?.Acousticness, a?.Instrumentalness, a?.Danceability, a?.Loudness, a?.Mode);
        }
        foreach (var p in (patients ?? []).OrderBy(p => p.PatientId, StringComparer.Ordinal))
        {
            Emit("patient", p.PatientId, p.BirthYear, p.CareSetting.ToString(), p.CognitiveStage.ToString(),
                string.Join(',', p.PreferredGenres.Order(StringComparer.Ordinal)), p.MaxArousal,
                string.Join(',', p.ExcludedGenres.Order(StringComparer.Ordinal)), p.Consent, p.PreferredEra);
        }
        foreach (var s in sessions.OrderBy(s => s.SessionId, StringComparer.Ordinal))
        {
            Emit("session", s.SessionId, s.PatientId, s.StartedAt.UtcTicks, s.Mode.ToString(), s.Target.Valence, s.Target.Arousal);
            foreach (var step in s.Steps.OrderBy(x => x.Position))
                Emit("step", step.Position, step.TrackId, step.Engagement, step.Rating, step.Valence, step.Arousal, step.Propensity);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());

        void Emit(params object?[] fields)
        {
            line.Clear();
            foreach (var field in fields)
            {
                var text = field switch
                {
                    null => "~",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => field.ToString() ?? "~",
                };
                // Length prefix: no separator inside a value can make two records look alike.
                line.Append(text.Length).Append(':').Append(text).Append('|');
            }
            line.Append('\n');
            hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        }
    }
}
