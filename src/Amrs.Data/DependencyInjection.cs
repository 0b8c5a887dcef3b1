using Amrs.Data.Audit.Anchors;
using Amrs.Data.Clinical;
using Amrs.Data.Database;
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Amrs.Data;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the database (provider from <c>Database:Provider</c>), a context factory for one context per
    /// operation, and the data services. Bad database settings stop start-up here with a clear message.
    /// </summary>
    public static IHostApplicationBuilder AddAmrsData(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = DatabaseSetup.ResolveConnectionString(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddDbContextFactory<ClinicDbContext>(db => DatabaseSetup.Configure(db, options, connectionString));

        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        builder.Services.AddScoped<IdentitySeeder>();
        builder.Services.AddScoped<DatabaseInitializer>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Audit.AuditLog>();
        builder.Services.AddSingleton<ClinicalDataImporter>();
        builder.Services.AddSingleton<ClinicalDataWriter>();
        builder.Services.AddSingleton<ClinicalDataReader>();
        builder.Services.AddSingleton<Audit.Review.AuditTrailReader>();
        AddAuditAnchors(builder, options);
        return builder;
    }

    /// <summary>The anchor file (checked writable now, so a bad path stops start-up) and the anchoring service.</summary>
    private static void AddAuditAnchors(IHostApplicationBuilder builder, DatabaseOptions database)
    {
        builder.Services.AddOptions<AuditAnchorOptions>().BindConfiguration(AuditAnchorOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        var anchors = builder.Configuration.GetSection(AuditAnchorOptions.Section).Get<AuditAnchorOptions>() ?? new AuditAnchorOptions();
        var file = anchors.ResolveFile(database);
        DataPaths.EnsureWritableFolderFor(file, "Audit:AnchorFile");
        builder.Services.AddSingleton(new AuditAnchorFile(file));
        builder.Services.AddSingleton<AuditAnchors>();
    }

    /// <summary>Applies migrations and seeds; call once at start-up, before serving requests.</summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
    }

    /// <summary>Applies migrations only (no seeding): for tools such as the command line that have no Identity services.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await DatabaseInitializer.MigrateAsync(db, services.GetRequiredService<DatabaseOptions>(), cancellationToken);
    }
}
