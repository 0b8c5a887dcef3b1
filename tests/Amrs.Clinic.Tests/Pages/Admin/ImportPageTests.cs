using Amrs.Clinic.Components.Pages.Admin;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Data;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Clinical;
using Amrs.Data.Database;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Pages.Admin;

/// <summary>The import page with the real importer on a temporary database.</summary>
public sealed class ImportPageTests : ClinicComponentTest
{
    private const string Catalog = "track_id,title,artist,valence,arousal\nT-1,Moon River,Henry Mancini,0.62,0.21\nT-2,Clair de lune,Debussy,0.55,0.12\n";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "amrs-tests", Guid.NewGuid().ToString("N"));

    public ImportPageTests()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, SqlitePath = Path.Combine(_folder, "clinic.db") };
        var connectionString = DatabaseSetup.ResolveConnectionString(options);
        Services.AddDbContextFactory<ClinicDbContext>(db => DatabaseSetup.Configure(db, options, connectionString));
        Services.AddSingleton(options);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<AuditLog>();
        Services.AddSingleton<ClinicalDataImporter>();
        Services.AddScoped<CurrentUser>();
        Services.AddSingleton<IAccountStanding>(new EveryAccountStands()); // no account store here: the roles are the test's
        Services.AddScoped<DataImport>();
    }

    private async Task<int> TracksAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken);
        return await db.Tracks.CountAsync(Xunit.TestContext.Current.CancellationToken);
    }

    private async Task<IRenderedComponent<Import>> ImportAsync(string fileName, string content)
    {
        await Services.MigrateDatabaseAsync(Xunit.TestContext.Current.CancellationToken);
        var page = Render<Import>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(content, fileName));
        await FindAndClickAsync(page, () => page.FindAll("button").Single(b => b.TextContent.Contains("Validate and import", StringComparison.Ordinal)));
        return page;
    }

    [Fact]
    public async Task An_admin_uploads_a_catalog_and_sees_the_counts()
    {
        SignInAs(Roles.Admin);

        var page = await ImportAsync("catalog.csv", Catalog);

        page.WaitForAssertion(() => Assert.Contains("catalog.csv: 2 new, 0 unchanged (2 tracks, 2 rows)", page.Markup, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));
        Assert.Equal(2, await TracksAsync());
    }

    [Fact]
    public async Task A_bad_file_lists_its_errors_with_line_and_column_and_nothing_is_stored()
    {
        SignInAs(Roles.Admin);

        var page = await ImportAsync("bad.csv", Catalog + "T-3,Song,,1.2,0.5\n");

        page.WaitForAssertion(() => Assert.Contains("bad.csv: 2 errors; nothing was imported", page.Markup, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));
        var rows = page.FindAll("table[aria-label='Import errors'] tbody tr, .mud-table-body tr");
        Assert.Contains(rows, r => r.TextContent.Contains('4') && r.TextContent.Contains("artist", StringComparison.Ordinal) && r.TextContent.Contains("a value is required", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.TextContent.Contains("valence", StringComparison.Ordinal) && r.TextContent.Contains("1.2 is out of range 0..1", StringComparison.Ordinal));
        Assert.Equal(0, await TracksAsync());
    }

    [Fact]
    public async Task The_service_refuses_anyone_but_an_admin_and_stores_nothing()
    {
        SignInAs(Roles.Clinician);
        await Services.MigrateDatabaseAsync(Xunit.TestContext.Current.CancellationToken);
        var file = Path.Combine(_folder, "catalog.csv");
        await File.WriteAllTextAsync(file, Catalog, Xunit.TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Services.GetRequiredService<DataImport>().ImportAsync(ClinicalDataKind.Catalog, file, "catalog.csv", cancellationToken: Xunit.TestContext.Current.CancellationToken));

        Assert.Contains(Policies.Administration, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await TracksAsync());
    }

    // xunit disposes the context asynchronously, and that path does not pass through Dispose(true).
    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* best effort */ }
    }

    private sealed class EveryAccountStands : IAccountStanding
    {
        public Task<bool> StandsAsync(System.Security.Claims.ClaimsPrincipal principal) => Task.FromResult(true);
    }
}
