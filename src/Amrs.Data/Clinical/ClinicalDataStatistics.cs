using Amrs.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Clinical;

/// <summary>Counts of observed values in ten equal bins over 0..1 (the last bin includes 1).</summary>
public sealed record Histogram(IReadOnlyList<int> Bins)
{
    public const int BinCount = 10;

    public int Total => Bins.Sum();

    public static int BinOf(double value) => Math.Clamp((int)(value * BinCount), 0, BinCount - 1);
}

/// <summary>What the clinical tables hold: counts by the dimensions the clinic filters on, and observation rates.</summary>
public sealed record ClinicalDataStatistics(
    int Tracks,
    int Patients,
    IReadOnlyDictionary<string, int> PatientsBySetting,
    IReadOnlyDictionary<string, int> PatientsByStage,
    IReadOnlyDictionary<string, int> PatientsByUnit,
    int Sessions,
    IReadOnlyDictionary<string, int> SessionsByMode,
    IReadOnlyDictionary<string, int> SessionsBySource,
    int Steps,
    int Ratings,
    int ObservedValence,
    int ObservedArousal,
    Histogram Valence,
    Histogram Arousal)
{
    public double RatingRate => Rate(Ratings);
    public double ValenceRate => Rate(ObservedValence);
    public double ArousalRate => Rate(ObservedArousal);

    private double Rate(int observed) => Steps == 0 ? 0 : (double)observed / Steps;
}

/// <summary>Reads statistics and whole sessions from the clinical tables, streaming (memory does not grow with the data).</summary>
public sealed class ClinicalDataReader(IDbContextFactory<ClinicDbContext> contexts)
{
    public async Task<ClinicalDataStatistics> StatisticsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var patients = db.Patients.AsNoTracking();
        var sessions = db.SessionLogs.AsNoTracking();
        var steps = db.SessionSteps.AsNoTracking();

        var bySetting = await patients.GroupBy(p => p.CareSetting).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byStage = await patients.GroupBy(p => p.CognitiveStage).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byUnit = await patients.GroupBy(p => p.CareUnit).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byMode = await sessions.GroupBy(s => s.Mode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var bySource = await sessions.GroupBy(s => s.Source).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);

        var valence = new int[Histogram.BinCount];
        await foreach (var v in steps.Where(s => s.Valence != null).Select(s => s.Valence!.Value).AsAsyncEnumerable().WithCancellation(cancellationToken))
            valence[Histogram.BinOf(v)]++;
        var arousal = new int[Histogram.BinCount];
        await foreach (var a in steps.Where(s => s.Arousal != null).Select(s => s.Arousal!.Value).AsAsyncEnumerable().WithCancellation(cancellationToken))
            arousal[Histogram.BinOf(a)]++;

        return new ClinicalDataStatistics(
            Tracks: await db.Tracks.CountAsync(cancellationToken),
            Patients: await patients.CountAsync(cancellationToken),
            PatientsBySetting: bySetting.OrderBy(x => x.Key).ToDictionary(x => Name(x.Key), x => x.Count),
            PatientsByStage: byStage.OrderBy(x => x.Key).ToDictionary(x => Name(x.Key), x => x.Count),
            PatientsByUnit: byUnit.OrderBy(x => x.Key).ToDictionary(x => x.Key ?? "(none)", x => x.Count),
            Sessions: await sessions.CountAsync(cancellationToken),
            SessionsByMode: byMode.OrderBy(x => x.Key).ToDictionary(x => Name(x.Key), x => x.Count),
            SessionsBySource: bySource.OrderBy(x => x.Key).ToDictionary(x => Name(x.Key), x => x.Count),
            Steps: await steps.CountAsync(cancellationToken),
            Ratings: await steps.CountAsync(s => s.Rating != null, cancellationToken),
            ObservedValence: valence.Sum(),
            ObservedArousal: arousal.Sum(),
            Valence: new Histogram(valence),
            Arousal: new Histogram(arousal));
    }

    /// <summary>
    /// The stored sessions (of one source, or all), each with its steps, ordered by session id as the database
    /// orders it. Sessions and steps come from two ordered queries merged as they stream.
    /// </summary>
    public async IAsyncEnumerable<LoggedSession> SessionsAsync(
        SessionSource? source = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var sessionDb = await contexts.CreateDbContextAsync(cancellationToken);
        await using var stepDb = await contexts.CreateDbContextAsync(cancellationToken);
        var sessions = sessionDb.SessionLogs.AsNoTracking();
        var steps = stepDb.SessionSteps.AsNoTracking();
        if (source is { } s)
        {
            sessions = sessions.Where(x => x.Source == s);
            steps = steps.Where(x => stepDb.SessionLogs.Any(l => l.SessionId == x.SessionId && l.Source == s));
        }
        await using var stepCursor = steps.OrderBy(x => x.SessionId).ThenBy(x => x.Position).AsAsyncEnumerable()
            .GetAsyncEnumerator(cancellationToken);
        var hasStep = await stepCursor.MoveNextAsync();
        await foreach (var session in sessions.OrderBy(x => x.SessionId).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var list = new List<SessionStepEntity>();
            while (hasStep && stepCursor.Current.SessionId == session.SessionId)
            {
                list.Add(stepCursor.Current);
                hasStep = await stepCursor.MoveNextAsync();
            }
            session.Steps = list;
            yield return session.ToDomain();
        }
    }

    private static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
