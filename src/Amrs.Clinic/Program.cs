using Amrs.Clinic;
using Amrs.Clinic.Components;
using Amrs.Clinic.Components.Account;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Clinic.Services.Data;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Health;
using Amrs.Data;
using Amrs.Data.Database;
using Amrs.Data.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddRootAppSettings();
    builder.AddAmrsData();
    builder.AddAmrsClinic();

    var app = builder.Build();
    app.UseSecurityHeaders();
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseHsts();
        app.UseHttpsRedirection();
    }
    app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
    app.UseAntiforgery();

    app.MapStaticAssets().AllowAnonymous();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    app.MapAccountEndpoints();
    app.MapClinicHealth();
    app.MapAuditExport();

    await app.Services.InitializeDatabaseAsync();
    await app.Services.EnsureDemoWorldAsync();
    await app.Services.AssignDemoPatientsAsync();
    await app.Services.RegisterShippedModelsAsync();
    await app.RunAsync();
}
catch (ConfigurationException e)
{
    // Bad settings: say exactly which and stop, without a stack trace that buries the message.
    await Console.Error.WriteLineAsync($"AMRS Clinic cannot start: {e.Message}");
    Environment.ExitCode = 2;
}

/// <summary>Entry point; public so that tests can start the clinic with WebApplicationFactory.</summary>
public partial class Program;
