namespace Amrs.Cli.Evaluation.Policy;

/// <summary>
/// A progress bar for the policy verbs: redrawn in place on an interactive terminal, otherwise one line per
/// stage each time another tenth is done. Called on the working thread.
/// </summary>
internal sealed class PolicyProgressBar(TextWriter writer, bool interactive)
{
    private const int Width = 30;
    private string? _stage;
    private int _shown = -1;

    public static PolicyProgressBar For(TextWriter writer) =>
        new(writer, ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    public void Show(string stage, double fraction)
    {
        var percent = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 100);
        if (stage != _stage)
        {
            if (interactive && _stage is not null) writer.WriteLine();
            _stage = stage;
            _shown = -1;
        }
        if (interactive)
        {
            if (percent == _shown) return;
            var filled = percent * Width / 100;
            writer.Write($"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {percent,3}% {stage}");
            _shown = percent;
        }
        else if (_shown < 0 || percent / 10 > _shown / 10)
        {
            writer.WriteLine($"{stage}: {percent}%");
            _shown = percent;
        }
    }

    public void Done()
    {
        if (interactive && _stage is not null) writer.WriteLine();
        _stage = null;
    }
}
