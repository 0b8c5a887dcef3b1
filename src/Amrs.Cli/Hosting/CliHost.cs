using System.CommandLine;
using Amrs.Core.Audit;
using Amrs.Data;
using Amrs.Data.Clinical;
using Amrs.Data.Database;
using Amrs.Data.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amrs.Cli.Hosting;

/// <summary>
/// The services a data verb needs, configured like the clinic: the root appsettings.json (same database file by
/// default), then environment variables (Database__SqlitePath=...), then <c>--database</c>. Migrations are
/// applied before the verb touches any data.
/// </summary>
internal static class CliHost
{
    /// <summary>The actor the audit trail records for work done from the command line.</summary>
    public static DataActor Actor { get; } = new("cli", $"amrs command line ({Environment.UserName})", AuditActors.SystemRole);

    public static async Task<IHost> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });
        builder.Configuration.AddRootAppSettings();
        builder.Configuration.AddEnvironmentVariables();
        if (parse.GetValue(CliOptions.Database) is { Length: > 0 } path)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = DatabaseProvider.Sqlite,
                ["Database:SqlitePath"] = Path.GetFullPath(path),
            });
        }
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddAmrsData();

        var host = builder.Build();
        await host.Services.MigrateDatabaseAsync(cancellationToken);
        return host;
    }

    /// <summary>Where the data goes, in words (the SQLite file, or the SQL Server database).</summary>
    public static string Describe(IServiceProvider services)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        return options.Provider == DatabaseProvider.Sqlite ? DataPaths.Resolve(options.SqlitePath) : "the SQL Server database";
    }

    /// <summary>Runs a verb, turning a configuration problem into its message and exit code 2.</summary>
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<IHost, TextWriter, TextWriter, Task<int>> verb)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            using var host = await OpenAsync(parse, cancellationToken);
            return await verb(host, output, error);
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync($"amrs: {e.Message}");
            return ExitCodes.Configuration;
        }
    }
}
