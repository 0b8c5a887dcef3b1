namespace Amrs.Data.Database;

/// <summary>
/// Resolves configured file locations the same way in every process (clinic, command line, tests), so that by
/// default they share one database and one model store.
/// </summary>
public static class DataPaths
{
    public const string AppDataToken = "{AppData}";

    /// <summary>The per-user data folder of the clinic: <c>~/.local/share/amrs-clinic</c> on Linux.</summary>
    public static string DataRoot { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "amrs-clinic");

    /// <summary>
    /// Expands <c>{AppData}</c> to the user's local application-data folder; a relative path is taken relative to
    /// <see cref="DataRoot"/> (not to the working directory, which differs between the clinic and the command line).
    /// </summary>
    public static string Resolve(string configured)
    {
        var appData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        var expanded = configured.Replace(AppDataToken, appData, StringComparison.OrdinalIgnoreCase);
        if (expanded.StartsWith("~/", StringComparison.Ordinal))
            expanded = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), expanded[2..]);
        return Path.GetFullPath(Path.IsPathRooted(expanded) ? expanded : Path.Combine(DataRoot, expanded));
    }

    /// <summary>Creates the folder of <paramref name="file"/> and proves it can be written, or says why not.</summary>
    public static void EnsureWritableFolderFor(string file, string settingName)
    {
        var folder = Path.GetDirectoryName(file) ?? ".";
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(
                $"{settingName} points to '{file}', but its folder '{folder}' cannot be written: {e.Message}. " +
                $"Choose a writable location in appsettings.json or with the environment variable {settingName.Replace(":", "__", StringComparison.Ordinal)}.", e);
        }
        if (File.Exists(file) && File.GetAttributes(file).HasFlag(FileAttributes.ReadOnly))
            throw new ConfigurationException($"{settingName} points to '{file}', which is read-only.");
    }
}
