using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Signatures;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Governance;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Governance;

/// <summary>The outcome of a governance step: done, or every reason why not (nothing changed).</summary>
public sealed record GovernanceOutcome(IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static GovernanceOutcome Done { get; } = new([]);

    public static GovernanceOutcome Refused(params string[] errors) => new(errors);
}

/// <summary>
/// The model registry and its two-person rule. An Admin proposes a bundle for care (a new candidate, or an earlier
/// promoted bundle for a rollback); a Clinician who did not propose it signs with their password and the meaning of
/// the signature after seeing the comparison; the bundle then serves care and the one it replaces is retired (after
/// a rollback: rolled back). Retired and rolled-back bundles that once served care stay in the store as rollback
/// targets. A bundle is loaded as care would load it before it is proposed and again before it is signed, so one whose
/// files are gone or changed never replaces a bundle that works. Each step is audited in the same transaction as the change.
/// </summary>
public sealed class ModelRegistry(
    CurrentUser currentUser,
    IDbContextFactory<ClinicDbContext> contexts,
    SignaturePassword signaturePassword,
    ICareEngine engine,
    AuditLog audit,
    TimeProvider clock)
{
    public const string PromotionMeaning = "Approved for care: this bundle proposes the playlists clinicians sign";
    public const string RollbackMeaning = "Approved for care again (rollback): this bundle proposes the playlists clinicians sign";

    /// <summary>Every registered bundle, the one serving care first, then the newest.</summary>
    public async Task<IReadOnlyList<RegisteredBundle>> ListAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.ModelView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var records = await db.ModelBundles.AsNoTracking().ToListAsync(cancellationToken);
        return records
            .OrderByDescending(b => b.Status == ModelCareStatus.PromotedForCare)
            .ThenByDescending(b => b.Status == ModelCareStatus.Proposed)
            .ThenByDescending(b => b.RegisteredAt)
            .Select(RegisteredBundle.From)
            .ToList();
    }

    /// <summary>An Admin proposes a candidate (or an earlier promoted bundle, for a rollback) for care.</summary>
    public async Task<GovernanceOutcome> ProposeAsync(string bundleId, string reason, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        if (string.IsNullOrWhiteSpace(reason)) return GovernanceOutcome.Refused("Give the reason for the proposal (what the comparison shows).");
        if (reason.Length > 2000) return GovernanceOutcome.Refused("The reason: at most 2,000 characters.");
        var now = clock.GetUtcNow();
        // The cheap checks first, then loading the bundle (which holds the engine thread), then the checks again
        // inside the write, as someone may have proposed it meanwhile.
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await ProposalRefusalAsync(db, bundleId, cancellationToken) is { } refused) return refused;
        }
        if (await RefuseUnloadableAsync(actor, now, AuditActions.ModelProposed, bundleId, cancellationToken) is { } unloadable) return unloadable;
        var (_, outcome) = await audit.RecordAsync(async db =>
        {
            if (await ProposalRefusalAsync(db, bundleId, cancellationToken) is { } refused) return ((IReadOnlyList<AuditDraft>)[], refused);
            var record = await db.ModelBundles.FirstAsync(b => b.BundleId == bundleId, cancellationToken);
            var bundle = RegisteredBundle.From(record);
            var care = await db.ModelBundles.AsNoTracking().FirstOrDefaultAsync(b => b.Status == ModelCareStatus.PromotedForCare, cancellationToken);
            record.StatusBeforeProposal = record.Status;
            record.Status = ModelCareStatus.Proposed;
            record.ProposedByUserId = actor.UserId;
            record.ProposedByName = actor.FullName;
            record.ProposedAt = now;
            var draft = Draft(actor, now, AuditActions.ModelProposed, bundleId, AuditOutcome.Success, new
            {
                bundleId, kind = bundle.IsRollbackTarget ? "rollback" : "promotion", reason = reason.Trim(), replaces = care?.BundleId,
                dataFingerprint = record.DataFingerprint,
            });
            return ((IReadOnlyList<AuditDraft>)[draft], GovernanceOutcome.Done);
        }, cancellationToken);
        return outcome;
    }

    /// <summary>Why the bundle cannot be proposed now (not registered, or in a state that cannot be), or null.</summary>
    private static async Task<GovernanceOutcome?> ProposalRefusalAsync(ClinicDbContext db, string bundleId, CancellationToken cancellationToken)
    {
        var record = await db.ModelBundles.AsNoTracking().FirstOrDefaultAsync(b => b.BundleId == bundleId, cancellationToken);
        if (record is null) return GovernanceOutcome.Refused($"Bundle '{bundleId}' is not registered.");
        return RegisteredBundle.From(record).CanBeProposed ? null : GovernanceOutcome.Refused(
            $"Bundle {bundleId} is {RegisteredBundle.Describe(record.Status)}: only a candidate, or a bundle that served care before (a rollback), can be proposed.");
    }

    /// <summary>An Admin withdraws a proposal nobody has signed yet; the bundle returns to what it was.</summary>
    public async Task<GovernanceOutcome> WithdrawAsync(string bundleId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var now = clock.GetUtcNow();
        var (_, outcome) = await audit.RecordAsync(async db =>
        {
            var record = await db.ModelBundles.FirstOrDefaultAsync(b => b.BundleId == bundleId, cancellationToken);
            if (record is not { Status: ModelCareStatus.Proposed })
                return ((IReadOnlyList<AuditDraft>)[], GovernanceOutcome.Refused($"Bundle '{bundleId}' has no open proposal."));
            // Back to what it was; a proposal stored before that was recorded falls back on what its dates tell.
            record.Status = record.StatusBeforeProposal ?? (record.PromotedAt is null ? ModelCareStatus.Candidate : ModelCareStatus.Retired);
            record.StatusBeforeProposal = null;
            var draft = Draft(actor, now, AuditActions.ModelProposalWithdrawn, bundleId, AuditOutcome.Success, new { bundleId, proposedBy = record.ProposedByName });
            record.ProposedByUserId = null;
            record.ProposedByName = null;
            record.ProposedAt = null;
            return ((IReadOnlyList<AuditDraft>)[draft], GovernanceOutcome.Done);
        }, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// A Clinician signs a proposal: password again, the meaning confirmed, and not the person who proposed it.
    /// The bundle then serves care; the bundle that served care until now is retired (or, on a rollback, rolled back).
    /// </summary>
    public async Task<GovernanceOutcome> SignAsync(string bundleId, string password, bool meaningConfirmed, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalWork);
        var now = clock.GetUtcNow();
        RegisteredBundle? proposal;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var record = await db.ModelBundles.AsNoTracking().FirstOrDefaultAsync(b => b.BundleId == bundleId, cancellationToken);
            proposal = record is null ? null : RegisteredBundle.From(record);
        }
        if (proposal is null) return GovernanceOutcome.Refused($"Bundle '{bundleId}' is not registered.");
        if (proposal.Status != ModelCareStatus.Proposed)
            return GovernanceOutcome.Refused($"Bundle {bundleId} is {RegisteredBundle.Describe(proposal.Status)}, not proposed: an Admin must propose it first.");
        var meaning = proposal.IsRollbackProposal ? RollbackMeaning : PromotionMeaning;
        if (proposal.Record.ProposedByUserId == actor.UserId)
        {
            await audit.AppendAsync(Draft(actor, now, AuditActions.ModelPromoted, bundleId, AuditOutcome.Refused, new { bundleId, reason = "the proposer cannot also sign" }));
            return GovernanceOutcome.Refused("You proposed this bundle; a different person must sign it (two-person rule).");
        }
        var errors = new List<string>();
        if (!meaningConfirmed) errors.Add($"Confirm the meaning of the signature (\"{meaning}\").");
        if (string.IsNullOrEmpty(password)) errors.Add("Enter your password to sign.");
        if (errors.Count > 0) return new GovernanceOutcome(errors);

        var check = await signaturePassword.CheckAsync(actor, password);
        if (!check.Succeeded)
        {
            await audit.AppendAsync(Draft(actor, now, AuditActions.ModelPromoted, bundleId, AuditOutcome.Refused, new { bundleId, reason = check.AuditReason }));
            return GovernanceOutcome.Refused(check.Refusal);
        }
        if (await RefuseUnloadableAsync(actor, now, AuditActions.ModelPromoted, bundleId, cancellationToken) is { } unloadable) return unloadable;

        var (_, outcome) = await audit.RecordAsync(async db =>
        {
            // Read again inside the transaction: the proposal may have been withdrawn or signed meanwhile.
            var record = await db.ModelBundles.FirstAsync(b => b.BundleId == bundleId, cancellationToken);
            if (record.Status != ModelCareStatus.Proposed || record.ProposedByUserId == actor.UserId)
                return ((IReadOnlyList<AuditDraft>)[], GovernanceOutcome.Refused("The proposal changed while you were signing; look at it again."));
            var rollback = record.PromotedAt is not null;
            var replaced = await db.ModelBundles.Where(b => b.Status == ModelCareStatus.PromotedForCare).ToListAsync(cancellationToken);
            foreach (var old in replaced)
            {
                old.Status = rollback ? ModelCareStatus.RolledBack : ModelCareStatus.Retired;
                old.RetiredAt = now;
            }
            record.Status = ModelCareStatus.PromotedForCare;
            record.StatusBeforeProposal = null;
            record.PromotedByUserId = actor.UserId;
            record.PromotedByName = actor.FullName;
            record.PromotedAt = now;
            record.PromotionMeaning = meaning;
            record.RetiredAt = null;
            var draft = Draft(actor, now, rollback ? AuditActions.ModelRolledBack : AuditActions.ModelPromoted, bundleId, AuditOutcome.Success, new
            {
                bundleId, signerPrintedName = actor.FullName, signerRole = actor.Role, meaning, signedAt = now,
                proposedBy = record.ProposedByName, proposedAt = record.ProposedAt,
                replaced = replaced.Select(b => new { b.BundleId, status = b.Status.ToString() }),
                dataFingerprint = record.DataFingerprint,
            });
            return ((IReadOnlyList<AuditDraft>)[draft], GovernanceOutcome.Done);
        }, cancellationToken);
        return outcome;
    }

    /// <summary>Null when the bundle loads as care would load it; otherwise the refusal, audited with the reason.</summary>
    private async Task<GovernanceOutcome?> RefuseUnloadableAsync(Actor actor, DateTimeOffset now, string action, string bundleId, CancellationToken cancellationToken)
    {
        try
        {
            await engine.VerifyLoadsAsync(bundleId, cancellationToken);
            return null;
        }
        catch (ModelBundleUnavailableException e)
        {
            await audit.AppendAsync(Draft(actor, now, action, bundleId, AuditOutcome.Refused,
                new { bundleId, reason = "the bundle cannot be loaded", cause = e.InnerException?.Message ?? e.Message }));
            return GovernanceOutcome.Refused(e.Message);
        }
    }

    private static AuditDraft Draft<T>(Actor actor, DateTimeOffset now, string action, string bundleId, AuditOutcome outcome, T details) where T : notnull =>
        new(now, actor.UserId, actor.FullName, actor.Role, action, AuditEntityTypes.ModelVersion, bundleId, null, outcome, AuditDetails.Of(details));
}
