using System.Globalization;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Services.Preview;
using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Data.Care;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Amrs.Clinic.Components.Pages.Preview;

/// <summary>
/// The clinician's preview and approval: the model proposes, the world model rolls the list out, the clinician
/// edits and simulates again, then signs exactly the list that was simulated (or rejects it).
/// </summary>
public sealed partial class PreviewPage
{
    private List<BreadcrumbItem> _breadcrumbs = [];
    private ProfileVersion? _goals;
    private bool _mayTreat;
    private string? _loadError;

    private PreviewResult? _preview;
    private Guid? _proposalPreviewId;
    private IReadOnlyList<string>? _proposalTrackIds;
    private PlaylistDraft? _draft;
    private int? _swapIndex;
    private PlaylistApprovalEntity? _decision;
    private IReadOnlyList<SignedDecision> _history = [];
    private IReadOnlyList<string> _withdrawErrors = [];

    private List<string> _errors = [];
    private IReadOnlyList<string> _signatureErrors = [];
    private bool _simulating;
    private bool _signing;

    [Parameter]
    public string PatientId { get; set; } = "";

    [Inject]
    private PatientRecord Records { get; set; } = default!;

    [Inject]
    private UtilityProfiles Profiles { get; set; } = default!;

    [Inject]
    private PlaylistPreviews Previews { get; set; } = default!;

    [Inject]
    private PlaylistApprovals Approvals { get; set; } = default!;

    [Inject]
    private IOptions<CareOptions> CareOptions { get; set; } = default!;

    /// <summary>The list on screen equals the list of the latest preview, so its forecasts apply and it may be signed.</summary>
    private bool IsSimulatedAsShown => _preview is not null && _draft is not null && _draft.IsSameListAs(_preview.Tracks.Select(t => t.TrackId));

    /// <summary>A signed list is never edited: a change means a new preview.</summary>
    private bool IsLocked => _decision is not null;

    private string GoalsSummary
    {
        get
        {
            var profile = _preview?.Profile ?? _goals!.Profile;
            var version = _preview?.ProfileVersion ?? _goals!.Version;
            var saved = version == 0 ? "not saved yet (the care setting's default)" : $"version {version}";
            return string.Create(CultureInfo.InvariantCulture,
                $"Goals {saved}: {profile.Mode} mode, target valence {profile.Target.Valence:0.00} and arousal {profile.Target.Arousal:0.00}, {profile.PlaylistLength} tracks.");
        }
    }

    private string DecisionSummary => _decision!.Status == ApprovalStatus.Approved
        ? string.Create(CultureInfo.InvariantCulture,
            $"Approved for delivery: signed by {_decision.SignerPrintedName} at {_decision.SignedAt:yyyy-MM-dd HH:mm} UTC, valid {_decision.ScheduledFor.ToLocalTime():yyyy-MM-dd} to {_decision.ValidUntil.ToLocalTime():yyyy-MM-dd}. This list can no longer be changed: a change needs a new preview and a new approval.")
        : $"Rejected by {_decision.SignerPrintedName}: {_decision.RejectionReason}";

    private string? WhyNotSign =>
        !_mayTreat ? "Only the patient's responsible clinician signs. You may look and simulate." :
        _decision is not null ? "This preview is signed. Ask the model again or edit and simulate to make a new one." :
        !IsSimulatedAsShown ? "Simulate the list as it is now before signing: only a list previewed exactly can be approved." :
        _preview!.SimulationOnly ? "This preview used a model bundle that is not promoted for care, so it cannot be signed." :
        null;

    protected override async Task OnParametersSetAsync()
    {
        _breadcrumbs = [new("My patients", "patients"), new(PatientId, $"patients/{PatientId}"), new("Preview", null, disabled: true)];
        try
        {
            _mayTreat = (await Records.GetAsync(PatientId)).MayTreat;
            _goals = await Profiles.CurrentAsync(PatientId);
            _history = await Approvals.ForPatientAsync(PatientId);
        }
        catch (Exception e) when (e is AccessDeniedException or PatientNotFoundException)
        {
            _loadError = e.Message;
        }
    }

    private Task ProposeAsync() => PreviewAsync(edited: null);

    private Task SimulateDraftAsync() =>
        // Back to exactly the model's own list: preview it as the proposal, not as an "edit" that changes nothing.
        PreviewAsync(_proposalTrackIds is not null && _draft!.IsSameListAs(_proposalTrackIds) ? null : _draft!.TrackIds);

    private async Task PreviewAsync(IReadOnlyList<string>? edited)
    {
        _simulating = true;
        _errors = [];
        _signatureErrors = [];
        StateHasChanged(); // show the progress indicator before the rollouts start
        try
        {
            var outcome = await Previews.PreviewAsync(PatientId, edited, edited is null ? null : _proposalPreviewId);
            if (!outcome.Succeeded)
            {
                _errors = [.. outcome.Errors];
                return;
            }
            _preview = outcome.Preview!;
            if (_preview.Kind == PreviewKind.ModelProposal)
            {
                _proposalPreviewId = _preview.PreviewId;
                _proposalTrackIds = _preview.Tracks.Select(t => t.TrackId).ToList();
            }
            _draft = new PlaylistDraft(_preview.Tracks);
            _decision = null;
            _swapIndex = null;
            _goals = await Profiles.CurrentAsync(PatientId);
        }
        catch (AccessDeniedException e)
        {
            _errors = [e.Message];
        }
        finally
        {
            _simulating = false;
        }
    }

    private void UndoEdits()
    {
        if (_preview is null) return;
        _draft = new PlaylistDraft(_preview.Tracks);
        _swapIndex = null;
    }

    private void Move((int Index, int Offset) move) => _draft?.Move(move.Index, move.Offset);

    private void Remove(int index)
    {
        _draft?.Remove(index);
        _swapIndex = null;
    }

    private void ChooseForSwap(int index) => _swapIndex = _swapIndex == index ? null : index;

    private void SwapIn(Track track)
    {
        if (_draft is null || _swapIndex is not { } index) return;
        if (_draft.Swap(index, track) is { } refused)
        {
            _errors = [refused];
            return;
        }
        _errors = [];
        _swapIndex = null;
    }

    private async Task ApproveAsync(SignatureRequest request)
    {
        if (_preview is null) return;
        await SignAsync(() => Approvals.ApproveAsync(_preview.PreviewId, request.Password, request.MeaningConfirmed, request.ScheduledFor, request.Notes));
    }

    private async Task RejectAsync(string reason)
    {
        if (_preview is null) return;
        await SignAsync(() => Approvals.RejectAsync(_preview.PreviewId, reason));
    }

    /// <summary>
    /// Withdraws an approved list (signed again, with a reason); the table then shows it withdrawn. The table calls
    /// this as a plain delegate (it needs the result), so this page asks for its own render when done.
    /// </summary>
    private async Task<bool> WithdrawAsync(WithdrawalRequest request)
    {
        _signing = true;
        _withdrawErrors = [];
        StateHasChanged(); // the table's buttons show busy while the signature is checked
        try
        {
            var outcome = await Approvals.RevokeAsync(request.ApprovalId, request.Password, request.MeaningConfirmed, request.Reason);
            if (!outcome.Succeeded)
            {
                _withdrawErrors = outcome.Errors;
                return false;
            }
            _history = await Approvals.ForPatientAsync(PatientId);
            return true;
        }
        catch (AccessDeniedException e)
        {
            _withdrawErrors = [e.Message];
            return false;
        }
        finally
        {
            _signing = false;
            StateHasChanged();
        }
    }

    /// <summary>Signs or rejects; the outcome shows in the decision banner (a status region), not in a passing notification.</summary>
    private async Task SignAsync(Func<Task<ApprovalOutcome>> sign)
    {
        _signing = true;
        _signatureErrors = [];
        try
        {
            var outcome = await sign();
            if (!outcome.Succeeded)
            {
                _signatureErrors = outcome.Errors;
                return;
            }
            _decision = outcome.Approval;
            _swapIndex = null;
            _history = await Approvals.ForPatientAsync(PatientId);
        }
        catch (AccessDeniedException e)
        {
            _signatureErrors = [e.Message];
        }
        finally
        {
            _signing = false;
        }
    }
}
