using Amrs.Data.Database;
using Amrs.Data.Hosting;
using Microsoft.Extensions.Configuration;

namespace Amrs.Data.Tests.Database;

public sealed class RootAppSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("amrs-settings-").FullName;

    [Fact]
    public void A_malformed_file_is_refused_with_its_path_line_and_position()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), "{\n  \"Database\": {\n    \"Provider\": \"Sqlite\"\n    \"SqlitePath\": \"x.db\"\n  }\n}\n");

        var error = Assert.Throws<ConfigurationException>(() => new ConfigurationManager().AddRootAppSettings(_folder));

        Assert.Contains(Path.Combine(_folder, "appsettings.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_with_its_path()
    {
        var error = Assert.Throws<ConfigurationException>(() => new ConfigurationManager().AddRootAppSettings(_folder));

        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_are_allowed_and_later_sources_override_the_file()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), "{ // the clinic\n \"Database\": { \"Provider\": \"Sqlite\", \"SqlitePath\": \"a.db\" } }");
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqlitePath"] = "from-environment.db" });

        configuration.AddRootAppSettings(_folder);

        Assert.Equal("Sqlite", configuration["Database:Provider"]);
        Assert.Equal("from-environment.db", configuration["Database:SqlitePath"]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
