using Amrs.Clinic.Components.Account;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Audit;
using Amrs.Clinic.Services.Data;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Governance;
using Amrs.Clinic.Services.Signatures;
using Amrs.Engine;
using Amrs.Clinic.Services.Delivery;
using Amrs.Clinic.Services.Health;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Services.Users;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Identity;
using Amrs.Simulation.Generation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace Amrs.Clinic;

public static class DependencyInjection
{
    /// <summary>The web host: components, sign-in and roles, authorisation policies, health, clinic services.</summary>
    public static IHostApplicationBuilder AddAmrsClinic(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        AddIdentity(services);
        AddAuthorization(services);

        // Keys in the database: every app instance reads the same key ring, so sign-ins survive a switch of instance.
        services.AddDataProtection().SetApplicationName("AMRS Clinic").PersistKeysToDbContext<ClinicDbContext>();

        services.AddHealthChecks()
            .AddDbContextCheck<ClinicDbContext>("database")
            .AddCheck<EngineHealthCheck>("engine");

        services.AddScoped<CurrentUser>();
        services.AddScoped<SecurityAudit>();
        services.AddScoped<UserAudit>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<OwnPassword>();
        services.AddScoped<PatientDirectory>();
        services.AddScoped<PatientRecord>();
        services.AddScoped<UtilityProfiles>();
        services.AddScoped<PatientAssignments>();
        services.AddOptions<EngineExecutionOptions>().BindConfiguration(EngineExecutionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ICareEngine, TorchCareEngine>();
        services.AddScoped<PlaylistPreviews>();
        services.AddScoped<PlaylistApprovals>();
        services.AddOptions<CareOptions>().BindConfiguration(CareOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DataImport>();
        services.AddSingleton(WorldRecipe.Default);
        services.AddSingleton<DemoWorld>();
        services.AddScoped<IAuditReviewService, AuditReviewService>();
        services.AddHostedService<AuditAnchorService>();
        // Delivery needs an ICareEngine (the learned models), registered with the engine's services.
        services.AddScoped<SessionStartFacts>();
        services.AddScoped<DeliveryService>();
        services.AddScoped<DeliveryAlerts>();
        AddGovernance(builder);
        return builder;
    }

    /// <summary>The model registry, the two-person promotion, and retraining jobs run in the background.</summary>
    private static void AddGovernance(IHostApplicationBuilder builder)
    {
        builder.AddAmrsEngine(); // Engine options and the model store (Engine:ModelStoreRoot, outside the repository)
        var services = builder.Services;
        services.AddScoped<SignaturePassword>();
        services.AddScoped<ModelRegistry>();
        services.AddScoped<TrainingJobs>();
        services.AddSingleton<TrainingJobQueue>();
        services.AddSingleton<TrainingJobNotifier>();
        services.AddSingleton<ICandidateTrainer, TorchCandidateTrainer>();
        var execution = builder.Configuration.GetSection(EngineExecutionOptions.Section).Get<EngineExecutionOptions>() ?? new EngineExecutionOptions();
        if (execution.RunTrainingJobs) services.AddHostedService<TrainingJobRunner>();
    }

    /// <summary>Generates the demo world into an empty database when Demo:GenerateWorld is on; call after the database is initialised.</summary>
    public static async Task EnsureDemoWorldAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        await services.GetRequiredService<DemoWorld>().EnsureAsync(cancellationToken);

    private static void AddIdentity(IServiceCollection services)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        services.AddScoped<IAccountStanding, AccountStanding>();
        // Requests outside the circuit (exports, sign-out) check the cookie's security stamp every time too.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);

        services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        }).AddIdentityCookies();

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/Account/Login";
            cookie.LogoutPath = "/Account/Logout";
            cookie.AccessDeniedPath = "/Account/AccessDenied";
            cookie.Cookie.Name = "amrs.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            FileEndpointMetadata.RefuseWithStatusCodes(cookie.Events);
        });

        services.AddIdentityCore<ClinicUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = true;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 5;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ClinicDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<ClinicClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
    }

    private static void AddAuthorization(IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            // Every endpoint needs a signed-in person unless it says [AllowAnonymous] (sign-in, health, static files).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicies();
    }

    private static AuthorizationBuilder AddPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var (policy, roles) in Policies.RolesFor)
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        return authorization;
    }
}
