using Amrs.Data.Clinical;
using Amrs.Simulation.Generation;

namespace Amrs.Cli.Terminal;

/// <summary>
/// A progress bar for long verbs: redrawn in place on an interactive terminal, otherwise (redirected output,
/// tests) one line per stage each time another tenth is done. Reports arrive on the working thread, in order.
/// </summary>
internal sealed class ConsoleProgress(TextWriter writer, bool interactive) : IProgress<DataProgress>, IProgress<WorldProgress>
{
    private const int Width = 30;
    private string? _stage;
    private int _lastShown = -1;

    /// <summary>A bar on standard error, redrawn in place when it is a terminal.</summary>
    public static ConsoleProgress For(TextWriter writer) =>
        new(writer, ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    public void Report(DataProgress value) => Show(value.Stage, value.Fraction);

    public void Report(WorldProgress value) =>
        Show($"generating {value.Stage}", value.Total == 0 ? 1 : (double)value.Completed / value.Total);

    public void Show(string stage, double fraction)
    {
        var percent = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 100);
        if (stage != _stage)
        {
            if (interactive && _stage is not null)
                writer.WriteLine();
            _stage = stage;
            _lastShown = -1;
        }
        if (interactive)
        {
            if (percent == _lastShown) return;
            var filled = percent * Width / 100;
            writer.Write($"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {percent,3}% {stage}");
            _lastShown = percent;
        }
        else if (percent / 10 > _lastShown / 10 || _lastShown < 0)
        {
            writer.WriteLine($"{stage}: {percent}%");
            _lastShown = percent;
        }
    }

    /// <summary>Ends the bar's line so the next output starts on its own.</summary>
    public void Done()
    {
        if (interactive && _stage is not null)
            writer.WriteLine();
        _stage = null;
    }
}
