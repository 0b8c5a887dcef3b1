using Amrs.Data.Database;

namespace Amrs.Data.Tests.Database;

public sealed class DatabaseSetupTests
{
    [Fact]
    public void An_unknown_provider_is_refused_naming_the_setting_and_the_allowed_values()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            DatabaseSetup.ResolveConnectionString(new DatabaseOptions { Provider = "Postgres" }));

        Assert.Contains("Database:Provider", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Postgres'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sqlite", error.Message, StringComparison.Ordinal);
        Assert.Contains("SqlServer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_server_without_a_connection_string_is_refused_naming_the_environment_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            DatabaseSetup.ResolveConnectionString(new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = " " }));

        Assert.Contains("Database:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("Database__ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sqlite_location_that_cannot_be_written_says_so()
    {
        var blocker = Path.GetTempFileName(); // a file where a folder would have to be
        try
        {
            var error = Assert.Throws<ConfigurationException>(() =>
                DatabaseSetup.ResolveConnectionString(new DatabaseOptions { SqlitePath = Path.Combine(blocker, "clinic.db") }));

            Assert.Contains("Database:SqlitePath", error.Message, StringComparison.Ordinal);
            Assert.Contains("cannot be written", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public void A_writable_sqlite_location_gives_a_connection_string_for_that_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), "amrs-tests", Guid.NewGuid().ToString("N"));
        var connection = DatabaseSetup.ResolveConnectionString(new DatabaseOptions { SqlitePath = Path.Combine(folder, "x.db") });

        Assert.Contains($"Data Source={Path.Combine(folder, "x.db")}", connection, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void The_app_data_token_and_relative_paths_resolve_into_the_same_data_folder_in_every_process()
    {
        var fromToken = DataPaths.Resolve("{AppData}/amrs-clinic/clinic.db");
        var relative = DataPaths.Resolve("clinic.db");

        Assert.Equal(fromToken, relative);
        Assert.True(Path.IsPathRooted(fromToken));
    }
}
