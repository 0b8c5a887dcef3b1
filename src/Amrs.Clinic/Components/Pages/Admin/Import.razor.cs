using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Data;
using Amrs.Data.Clinical;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Amrs.Clinic.Components.Pages.Admin;

/// <summary>
/// Upload a CSV file to a temporary file (so the importer can read it twice with bounded memory), then validate
/// and import it, showing progress, and the counts or every error with its line and column.
/// </summary>
public sealed partial class Import : IDisposable
{
    private readonly CancellationTokenSource _closing = new();
    private ClinicalDataKind _kind = ClinicalDataKind.Catalog;
    private IBrowserFile? _file;
    private ImportResult? _result;
    private string? _message;
    private bool _busy;
    private string _stage = "";
    private double _fraction;
    private DateTime _lastRender;

    [Inject]
    private DataImport Importer { get; set; } = default!;

    private void Choose(InputFileChangeEventArgs e)
    {
        _file = e.File;
        _result = null;
        _message = e.File.Size > DataImport.MaxFileBytes
            ? $"{e.File.Name} is {e.File.Size / (1024 * 1024):N0} MB; the largest file accepted here is {DataImport.MaxFileBytes / (1024 * 1024)} MB. Import larger files with the command line (amrs data import)."
            : null;
        if (_message is not null)
            _file = null;
    }

    private async Task ImportAsync()
    {
        if (_file is null)
            return;
        _busy = true;
        _result = null;
        _message = null;
        var temp = Path.Combine(Path.GetTempPath(), "amrs-import", $"{Guid.NewGuid():N}.csv");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
            await UploadAsync(_file, temp);
            var progress = new PageProgress(this);
            _result = await Importer.ImportAsync(_kind, temp, _file.Name, progress, _closing.Token);
        }
        catch (AccessDeniedException e)
        {
            _message = e.Message;
        }
        catch (IOException e)
        {
            _message = $"The file could not be read: {e.Message}";
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // The page was closed: the import was cancelled and its transaction rolled back.
        }
        finally
        {
            File.Delete(temp);
            _busy = false;
        }
    }

    private async Task UploadAsync(IBrowserFile file, string path)
    {
        await using var source = file.OpenReadStream(DataImport.MaxFileBytes, _closing.Token);
        await using var target = File.Create(path);
        var buffer = new byte[81_920];
        long copied = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, _closing.Token)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, read), _closing.Token);
            copied += read;
            Show("uploading", file.Size == 0 ? 1 : (double)copied / file.Size);
        }
    }

    /// <summary>Shows progress, re-rendering at most every 100 ms (reports come from the importing thread).</summary>
    private void Show(string stage, double fraction)
    {
        _stage = stage;
        _fraction = fraction;
        var now = DateTime.UtcNow;
        if (now - _lastRender < TimeSpan.FromMilliseconds(100) && fraction < 1)
            return;
        _lastRender = now;
        _ = InvokeAsync(StateHasChanged);
    }

    private static string KindLabel(ClinicalDataKind kind) => kind switch
    {
        ClinicalDataKind.Catalog => "Catalog (tracks)",
        ClinicalDataKind.Patients => "Patients",
        _ => "Logged sessions",
    };

    private static string KindNoun(ClinicalDataKind kind) => kind switch
    {
        ClinicalDataKind.Catalog => "tracks",
        ClinicalDataKind.Patients => "patients",
        _ => "sessions",
    };

    public void Dispose()
    {
        _closing.Cancel();
        _closing.Dispose();
    }

    private sealed class PageProgress(Import page) : IProgress<DataProgress>
    {
        public void Report(DataProgress value) => page.Show(value.Stage, value.Fraction);
    }
}
