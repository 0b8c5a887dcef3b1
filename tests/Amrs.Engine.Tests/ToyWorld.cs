using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;

namespace Amrs.Engine.Tests;

/// <summary>
/// A tiny generated world with a known rule, made for these tests: engagement is high when a track's genre
/// is the patient's preferred one; the listener's valence and arousal move toward the track's own with some
/// carry-over from the previous step; a positive rating follows high engagement. Tracks are picked at random.
/// </summary>
public sealed class ToyWorld
{
    public static readonly string[] Genres = ["jazz", "folk", "rock", "classical"];

    public ToyWorld(int tracks = 48, int patients = 24, int sessionsPerPatient = 3, int stepsPerSession = 8, int seed = 7)
    {
        var random = new Random(seed);
        Catalog = Enumerable.Range(0, tracks).Select(i => new Track(
            $"t{i:000}", $"Track {i}", $"Artist {i % 7}",
            Valence: Math.Round(random.NextDouble(), 3),
            Arousal: Math.Round(random.NextDouble(), 3),
            Year: 1940 + random.Next(50),
            Genre: Genres[i % Genres.Length],
            DurationSeconds: 150 + random.Next(120),
            Audio: i % 3 == 0
                ? null
                : new AudioDescriptors(Energy: random.NextDouble(), Tempo: 80 + random.Next(80), Mode: i % 2))).ToArray();

        Patients = Enumerable.Range(0, patients).Select(i => new Patient(
            $"p{i:00}", 1930 + random.Next(30), i % 3 == 0 ? CareSetting.Consumer : CareSetting.Clinical,
            (CognitiveStage)(i % 4), [Genres[i % Genres.Length]], i % 2 == 0 ? 0.7 : null, [], Consent: true,
            PreferredEra: 1950 + 10 * (i % 3))).ToArray();

        var sessions = new List<LoggedSession>();
        var start = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        foreach (var patient in Patients)
        {
            double valence = 0.5, arousal = 0.5;
            for (var s = 0; s < sessionsPerPatient; s++)
            {
                var steps = new List<LoggedStep>();
                for (var p = 0; p < stepsPerSession; p++)
                {
                    var track = Catalog[random.Next(Catalog.Count)];
                    var liked = track.Genre == patient.PreferredGenres[0];
                    var engagement = Math.Clamp((liked ? 0.85 : 0.3) + 0.08 * Gaussian(random), 0, 1);
                    valence = Math.Clamp(0.6 * track.Valence + 0.4 * valence + 0.04 * Gaussian(random), 0, 1);
                    arousal = Math.Clamp(0.7 * track.Arousal + 0.3 * arousal + 0.04 * Gaussian(random), 0, 1);
                    var affectSeen = random.NextDouble() < 0.5;
                    var ratingSeen = random.NextDouble() < 0.6;
                    steps.Add(new LoggedStep(p, track.TrackId, engagement,
                        ratingSeen ? (engagement > 0.6 ? 1 : 0) : null,
                        affectSeen ? valence : null,
                        affectSeen ? arousal : null));
                }
                var mode = (SessionMode)random.Next(5);
                sessions.Add(new LoggedSession($"{patient.PatientId}-s{s}", patient.PatientId,
                    start.AddDays(7 * s).AddHours(random.Next(8)), mode, ModeTargets.DefaultTarget(mode), steps));
            }
        }
        Sessions = sessions;
    }

    public IReadOnlyList<Track> Catalog { get; }
    public IReadOnlyList<Patient> Patients { get; }
    public IReadOnlyList<LoggedSession> Sessions { get; }

    /// <summary>80/20 split by patient (the first 80% train).</summary>
    public (IReadOnlyList<Patient> Training, IReadOnlyList<Patient> Validation) Split()
    {
        var cut = Patients.Count * 4 / 5;
        return (Patients.Take(cut).ToArray(), Patients.Skip(cut).ToArray());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
