using Amrs.Clinic.Security;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Review;
using Microsoft.AspNetCore.Components;

namespace Amrs.Clinic.Components.Pages.Audit;

/// <summary>The auditor's console: the trail with filters and paging, one entry's details, verification, downloads.</summary>
public sealed partial class Trail
{
    private readonly AuditFilterForm _form = new();
    private readonly Stack<long?> _newer = new();
    private AuditFilter _filter = AuditFilter.All;
    private long? _cursor;
    private AuditPage? _page;
    private AuditEntry? _selected;
    private IReadOnlyList<AuditActorChoice> _actors = [];
    private ChainCheck? _check;
    private bool _verifying;
    private string? _error;

    [Inject]
    private IAuditReviewService Review { get; set; } = default!;

    /// <summary>Opens the page on one entry's details (links from the approvals and refusals pages).</summary>
    [SupplyParameterFromQuery(Name = "entry")]
    public long? Entry { get; set; }

    protected override async Task OnInitializedAsync()
    {
        await GuardAsync(async () =>
        {
            _actors = await Review.ActorsAsync();
            await LoadAsync();
            if (Entry is { } sequence) _selected = await Review.GetAsync(sequence);
        });
    }

    private string PageSummary => _page is null
        ? "Loading…"
        : _page.Entries.Count == 0
            ? "No entries match."
            : $"Entries {_page.Entries[^1].Sequence}–{_page.Entries[0].Sequence} shown; {_page.MatchCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} match the filter.";

    private string ActorName(string? id) =>
        string.IsNullOrEmpty(id) ? "Anyone" : _actors.FirstOrDefault(a => a.ActorId == id)?.Name ?? id;

    private string ExportUrl(string format) =>
        AuditFilterQueryString.Append(AuditExportEndpoint.Path, _filter, ("format", format));

    private Task ApplyAsync() => GuardAsync(async () =>
    {
        if (!_form.TryBuild(out var filter, out var error))
        {
            _error = error;
            return;
        }
        _filter = filter;
        _cursor = null;
        _newer.Clear();
        await LoadAsync();
    });

    private Task ClearAsync()
    {
        _form.From = _form.To = null;
        _form.ActorId = _form.PatientId = _form.Action = _form.Outcome = "";
        return ApplyAsync();
    }

    private Task OlderAsync() => GuardAsync(async () =>
    {
        if (_page?.OlderThan is not { } older) return;
        _newer.Push(_cursor);
        _cursor = older;
        await LoadAsync();
    });

    private Task NewerAsync() => GuardAsync(async () =>
    {
        if (!_newer.TryPop(out var newer)) return;
        _cursor = newer;
        await LoadAsync();
    });

    private void Select(AuditEntry entry) => _selected = entry;

    private void CloseDetails() => _selected = null;

    private async Task VerifyAsync()
    {
        _verifying = true;
        try
        {
            await GuardAsync(async () =>
            {
                _check = await Review.VerifyChainAsync();
                if (_cursor is null) await LoadAsync(); // the verification's own entry is now the newest
            });
        }
        finally
        {
            _verifying = false;
        }
    }

    private async Task LoadAsync() => _page = await Review.PageAsync(new AuditPageRequest(_filter, _cursor));

    private async Task GuardAsync(Func<Task> work)
    {
        _error = null;
        try
        {
            await work();
        }
        catch (AccessDeniedException e)
        {
            _error = e.Message;
        }
    }
}
