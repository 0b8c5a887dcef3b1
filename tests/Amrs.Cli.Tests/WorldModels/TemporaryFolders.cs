[assembly: AssemblyFixture(typeof(Amrs.Cli.Tests.WorldModels.TemporaryFolders))]

namespace Amrs.Cli.Tests.WorldModels;

/// <summary>
/// Every temporary folder of one test run lives under <see cref="Root"/>, removed when the assembly's tests are done
/// (stores copied to damage their files, models trained into a folder), so runs do not pile up in the temp folder.
/// </summary>
public sealed class TemporaryFolders : IDisposable
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "amrs-wm-tests", Guid.NewGuid().ToString("N"));

    public static string Create()
    {
        var folder = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (DirectoryNotFoundException) { /* no test made one */ }
    }
}
