using Amrs.Clinic.Security;
using Amrs.Core.Security;
using Amrs.Data.Clinical;

namespace Amrs.Clinic.Services.Data;

/// <summary>
/// Imports from the Admin page: checks on the server that the caller may administer, then runs the same
/// importer as the command line, audited with the Admin as actor.
/// </summary>
public sealed class DataImport(CurrentUser currentUser, ClinicalDataImporter importer)
{
    /// <summary>The largest file the page accepts.</summary>
    public const long MaxFileBytes = 200L * 1024 * 1024;

    public async Task<ImportResult> ImportAsync(
        ClinicalDataKind kind, string path, string fileName, IProgress<DataProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var who = new DataActor(actor.UserId, actor.FullName, actor.Role);
        // Off the circuit's thread, so that progress can be rendered while the file is read.
        return await Task.Run(() => importer.ImportAsync(kind, path, who, progress, fileName, cancellationToken), cancellationToken);
    }
}
