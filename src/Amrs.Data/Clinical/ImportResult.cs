using Amrs.Core.Import;

namespace Amrs.Data.Clinical;

/// <summary>
/// What an import did: on success the counts (records are tracks, patients or sessions; rows also count a
/// session's steps), otherwise every error with its line and column, and nothing was written.
/// </summary>
public sealed record ImportResult(
    ClinicalDataKind Kind,
    string FileName,
    string Sha256,
    int Records,
    long Rows,
    int New,
    int Unchanged,
    IReadOnlyList<CsvError> Errors,
    TimeSpan Elapsed)
{
    public bool Succeeded => Errors.Count == 0;

    public string Summary => Succeeded
        ? $"{New:N0} new, {Unchanged:N0} unchanged"
        : $"{Errors.Count:N0} error{(Errors.Count == 1 ? "" : "s")}; nothing was imported";
}
