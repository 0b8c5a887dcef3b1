using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services.Engine;

/// <summary>
/// The real engine with the shipped bundle, called by many pages at once: requests that arrive together are
/// batched, and every caller gets exactly the answer it gets alone.
/// </summary>
public sealed class BatchedCareEngineTests(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static string Clinician => DemoAccounts.For(Roles.Clinician).UserName;

    private async Task<(ICareEngine Engine, string BundleId, CareContext[] Contexts)> SetupAsync(int patients)
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var engine = factory.Services.GetRequiredService<ICareEngine>();
        var bundle = await engine.CareBundleAsync(TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("No care bundle.");
        SessionMode[] modes = [SessionMode.Calm, SessionMode.Energize, SessionMode.Sleep, SessionMode.Focus];
        var contexts = new CareContext[patients];
        for (var i = 0; i < patients; i++)
        {
            // Different history lengths, so the batch holds rollouts that share tensors and some that cannot.
            var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me, sessions: 1 + i % 3);
            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
            var loaded = await CareContextLoader.LoadAsync(db, patient, null, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
            contexts[i] = loaded!.Context with { Profile = UtilityProfile.DefaultFor(modes[i % modes.Length]) with { PlaylistLength = 4 } };
        }
        return (engine, bundle.BundleId, contexts);
    }

    [Fact]
    public async Task Concurrent_proposals_and_simulations_equal_the_same_requests_made_one_by_one()
    {
        var (engine, bundleId, contexts) = await SetupAsync(8);
        var token = TestContext.Current.CancellationToken;

        var proposalsAlone = new List<Proposal>();
        var simulationsAlone = new List<PlaylistSimulation>();
        foreach (var context in contexts)
        {
            var proposal = await engine.ProposeAsync(bundleId, PolicyKind.Dpo, context, token);
            proposalsAlone.Add(proposal);
            simulationsAlone.Add(await engine.SimulateAsync(bundleId, context, proposal.TrackIds, 64, token));
        }

        var proposalsTogether = await Task.WhenAll(contexts.Select(c => engine.ProposeAsync(bundleId, PolicyKind.Dpo, c, token)));
        var simulationsTogether = await Task.WhenAll(contexts.Select((c, i) => engine.SimulateAsync(bundleId, c, proposalsAlone[i].TrackIds, 64, token)));

        for (var i = 0; i < contexts.Length; i++)
        {
            Assert.Equal(proposalsAlone[i].TrackIds, proposalsTogether[i].TrackIds);
            Assert.Equal(simulationsAlone[i].OutOfDistribution, simulationsTogether[i].OutOfDistribution);
            Assert.Equal(simulationsAlone[i].Steps.Count, simulationsTogether[i].Steps.Count);
            foreach (var (alone, together) in simulationsAlone[i].Steps.Zip(simulationsTogether[i].Steps))
            {
                Assert.Equal(alone.TrackId, together.TrackId);
                Assert.Equal(alone.Valence.Mean, together.Valence.Mean, 4);
                Assert.Equal(alone.Arousal.P90, together.Arousal.P90, 4);
                Assert.Equal(alone.LikeProbability, together.LikeProbability, 4);
            }
        }
        // Different patients and goals: the answers are not all the same one.
        Assert.True(proposalsTogether.Select(p => string.Join(",", p.TrackIds)).Distinct().Count() > 1);
    }

    [Fact]
    public async Task A_bad_request_in_a_batch_fails_alone_and_the_others_get_their_simulations()
    {
        var (engine, bundleId, contexts) = await SetupAsync(4);
        var token = TestContext.Current.CancellationToken;
        var tracks = (await engine.ProposeAsync(bundleId, PolicyKind.Dpo, contexts[0], token)).TrackIds;

        var unknownTrack = engine.SimulateAsync(bundleId, contexts[2], [.. tracks, "no-such-track"], 64, token);
        var others = new[] { contexts[0], contexts[1], contexts[3] }.Select(c => engine.SimulateAsync(bundleId, c, tracks, 64, token)).ToArray();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => unknownTrack);
        Assert.Contains("no-such-track", refused.Message, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(others), s => Assert.Equal(tracks.Count, s.Steps.Count));
    }
}
