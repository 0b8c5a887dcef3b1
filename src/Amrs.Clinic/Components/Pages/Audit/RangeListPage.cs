using Amrs.Clinic.Security;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Data.Audit.Review;
using Microsoft.AspNetCore.Components;

namespace Amrs.Clinic.Components.Pages.Audit;

/// <summary>
/// A list of one kind of entry over a time range, newest first, with older/newer paging (approvals, refusals).
/// Subclasses say which page of the service to read.
/// </summary>
public abstract class RangeListPage : ComponentBase
{
    private readonly Stack<long?> _newer = new();
    private AuditFilter _range = AuditFilter.All;
    private long? _cursor;

    [Inject]
    protected IAuditReviewService Review { get; set; } = default!;

    protected AuditFilterForm Form { get; } = new();
    protected AuditPage? Page { get; private set; }
    protected string? Error { get; private set; }
    protected bool HasNewer => _newer.Count > 0;

    protected abstract Task<AuditPage> ReadAsync(AuditFilter range, long? olderThan);

    protected override Task OnInitializedAsync() => GuardAsync(LoadAsync);

    protected Task ShowAsync() => GuardAsync(async () =>
    {
        if (!Form.TryBuild(out var range, out var error))
        {
            Error = error;
            Page = AuditPage.Empty; // the list no longer shows an earlier range under a filter that says otherwise
            _newer.Clear();
            return;
        }
        _range = range;
        _cursor = null;
        _newer.Clear();
        await LoadAsync();
    });

    protected Task OlderAsync() => GuardAsync(async () =>
    {
        if (Page?.OlderThan is not { } older) return;
        _newer.Push(_cursor);
        _cursor = older;
        await LoadAsync();
    });

    protected Task NewerAsync() => GuardAsync(async () =>
    {
        if (!_newer.TryPop(out var newer)) return;
        _cursor = newer;
        await LoadAsync();
    });

    private async Task LoadAsync() => Page = await ReadAsync(_range, _cursor);

    private async Task GuardAsync(Func<Task> work)
    {
        Error = null;
        try
        {
            await work();
        }
        catch (AccessDeniedException e)
        {
            Error = e.Message;
        }
    }
}
