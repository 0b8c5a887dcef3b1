using System.Text.Json;
using Amrs.Core.Security;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.Playwright;

namespace Amrs.E2E.Operations;

/// <summary>
/// Server memory per connected clinician: real Blazor circuits opened by Chromium through the real server (each
/// clinician in their own browser context, signed in, on their workspace with the circuit live), measured as the
/// growth of the server's managed heap after full garbage collections, divided by the number of clinicians (20, in
/// rounds of 5). The
/// server runs in this test process, so the figure also holds the few objects Playwright keeps per page (it errs
/// high). Written to artefacts/circuit-memory.json. The clinic is a server of its own: on the shared one, circuits
/// that other tests left behind are evicted at unpredictable times and distort the difference. For the same reason
/// the collection runs before every other one (<see cref="Infrastructure.MemoryMeasurementFirst"/>): a server that
/// an earlier collection disposed is still being released while the rounds run.
/// </summary>
[Collection(CircuitMemoryCollection.Name)]
public sealed class CircuitMemoryTests(ClinicServer clinic)
{
    private const int Rounds = 4;
    private const int PerRound = 5;
    private const long Budget = 5 * 1024 * 1024;

    [Fact]
    public async Task Each_connected_clinician_costs_the_server_less_than_5_MB()
    {
        // One clinician first, so that what every circuit shares (component types, caches, pools) is loaded already.
        var pages = new List<IPage> { await OpenWorkspaceAsync() };
        // Rounds of clinicians joining; the median round counts, so that one round in which something else in this
        // process (another fixture's teardown) freed or allocated memory does not decide the result.
        var perClinician = new List<long>();
        var workingSet = new List<long>();
        for (var round = 0; round < Rounds; round++)
        {
            var heapBefore = SettledHeap();
            var workingSetBefore = Environment.WorkingSet;
            for (var i = 0; i < PerRound; i++) pages.Add(await OpenWorkspaceAsync());
            perClinician.Add((SettledHeap() - heapBefore) / PerRound);
            workingSet.Add((Environment.WorkingSet - workingSetBefore) / PerRound);
        }
        var median = perClinician.Order().ElementAt(Rounds / 2);
        var measured = new
        {
            clinicians = Rounds * PerRound,
            managedHeapBytesPerClinicianMedian = median,
            managedHeapBytesPerClinicianByRound = perClinician,
            workingSetBytesPerClinicianByRound = workingSet,
        };
        Directory.CreateDirectory(ClinicServer.ArtefactFolder);
        await File.WriteAllTextAsync(Path.Combine(ClinicServer.ArtefactFolder, "circuit-memory.json"),
            JsonSerializer.Serialize(measured, new JsonSerializerOptions { WriteIndented = true }), TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"circuit memory: {JsonSerializer.Serialize(measured)}");
        foreach (var page in pages) await page.Context.CloseAsync();

        Assert.InRange(median, 0, Budget);
    }

    private async Task<IPage> OpenWorkspaceAsync()
    {
        var page = await clinic.NewPageAsync();
        var signIn = new SignInPage(page);
        await signIn.OpenAsync();
        await signIn.SignInAsync(DemoAccounts.For(Roles.Clinician).UserName, ClinicServer.DemoPassword);
        await new ClinicShell(page).WaitForInteractiveAsync();
        return page;
    }

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>A clinic server for the memory measurement alone.</summary>
[CollectionDefinition(Name)]
public sealed class CircuitMemoryCollection : ICollectionFixture<ClinicServer>
{
    public const string Name = "circuit memory";
}
