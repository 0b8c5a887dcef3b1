using TorchSharp;

namespace Amrs.Engine.Episodes;

/// <summary>
/// What one patient showed on one track before: how often it was played to them, their engagement on it (the
/// deviation from their own level, corrected for position, as <see cref="HistorySummary"/> measures it) and their
/// ratings of it. A patient's liking of a track they heard before is the best evidence of their liking of it now, and
/// hearing it again lifts the liking (familiarity); neither reaches a prediction through the track's descriptors or
/// its id, which are the same for every patient. About a quarter of the logged plays are repeats.
/// </summary>
public readonly record struct TrackRecord(int Plays, double EngagementDeviationSum, int Engagements, double RatingSum, int Ratings)
{
    /// <summary>Floats a record is written as: heard before (0/1), log(1 + plays), mean engagement deviation, mean rating - 0.5.</summary>
    public const int Size = 4;

    /// <summary>Pseudo-observations at zero behind both means, so one play counts for half.</summary>
    private const double PriorWeight = 1;

    public TrackRecord With(double? engagementDeviation, double? rating) => new(
        Plays + 1,
        EngagementDeviationSum + (engagementDeviation ?? 0),
        Engagements + (engagementDeviation is null ? 0 : 1),
        RatingSum + (rating is { } r ? r - 0.5 : 0),
        Ratings + (rating is null ? 0 : 1));

    /// <summary>
    /// A table [rows,<see cref="Size"/>] of the records of the rows whose track was heard before (other rows zeros), or
    /// null when none was: then a prediction has nothing to read.
    /// </summary>
    public static torch.Tensor? Table(int rows, IEnumerable<(int Row, TrackRecord Record)> heard)
    {
        float[]? table = null;
        foreach (var (row, record) in heard)
        {
            table ??= new float[rows * Size];
            record.WriteTo(table.AsSpan(row * Size, Size));
        }
        return table is null ? null : torch.tensor(table, [rows, Size]);
    }

    /// <summary>Writes the record (<see cref="Size"/> floats); a track never played writes zeros.</summary>
    public void WriteTo(Span<float> into)
    {
        into[0] = Plays > 0 ? 1 : 0;
        into[1] = (float)Math.Log(1 + Plays);
        into[2] = (float)(EngagementDeviationSum / (Engagements + PriorWeight));
        into[3] = (float)(RatingSum / (Ratings + PriorWeight));
    }
}
