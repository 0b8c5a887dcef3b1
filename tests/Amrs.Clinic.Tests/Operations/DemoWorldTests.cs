using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Audit;
using Amrs.Data;
using Amrs.Data.Clinical;
using Amrs.Simulation.Generation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Operations;

public sealed class DemoWorldTests
{
    private static readonly WorldRecipe Small = WorldRecipe.For(WorldRecipe.DefaultWorld, patients: 10, tracks: 150);

    [Fact]
    public async Task The_first_start_on_an_empty_database_generates_the_world_and_a_second_start_does_not()
    {
        var folder = Path.Combine(Path.GetTempPath(), "amrs-tests", Guid.NewGuid().ToString("N"));
        var world = WorldGenerator.Generate(Small.Config, cancellationToken: TestContext.Current.CancellationToken);
        var expected = new ClinicalDataCounts(150, 10, world.Sessions.Count, world.Sessions.Sum(s => s.Steps.Count));
        try
        {
            ClinicalDataCounts first, second;
            await using (var factory = ClinicFactory.WithDemoWorld(folder, Small))
            {
                first = await factory.Services.GetRequiredService<ClinicalDataWriter>().CountAsync(TestContext.Current.CancellationToken);
            }
            await using (var factory = ClinicFactory.WithDemoWorld(folder, Small))
            {
                second = await factory.Services.GetRequiredService<ClinicalDataWriter>().CountAsync(TestContext.Current.CancellationToken);
                var contexts = factory.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
                await using var db = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
                var generated = await db.AuditEntries.Where(e => e.Action == AuditActions.DataGenerated).ToListAsync(TestContext.Current.CancellationToken);
                var entry = Assert.Single(generated);
                Assert.Equal(AuditActors.SystemId, entry.ActorId);
                Assert.Equal(Small, WorldRecipe.FromAuditDetails(entry.Details)?.Recipe);

                // Demo only: the demo clinician is responsible for the clinical patients of their unit, once.
                var clinicianId = await SignedInScope.UserIdAsync(factory, Amrs.Data.Seeding.DemoAccounts.For(Amrs.Core.Security.Roles.Clinician).UserName);
                var unitA = await db.Patients.Where(p => p.CareUnit == "Unit A" && p.CareSetting == Amrs.Core.Patients.CareSetting.Clinical)
                    .ToListAsync(TestContext.Current.CancellationToken);
                Assert.NotEmpty(unitA);
                Assert.All(unitA, p => Assert.Equal(clinicianId, p.ClinicianUserId));
                Assert.True(await db.Patients.AnyAsync(p => p.ClinicianUserId == null, TestContext.Current.CancellationToken), "other units stay unassigned");
                Assert.True(await db.AuditEntries.CountAsync(e => e.Action == AuditActions.PatientUpdated && e.EntityId == "demo-assignment", TestContext.Current.CancellationToken) <= 1);
            }

            Assert.Equal(expected, first);
            Assert.Equal(expected, second);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
