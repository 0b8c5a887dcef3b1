using Amrs.Engine.Training;

namespace Amrs.Cli.WorldModels;

/// <summary>
/// Training progress on standard error: one bar redrawn in place on a terminal (member, epoch, losses, time
/// left), one line per epoch when the output is redirected (logs, tests). Reports arrive on the training thread.
/// </summary>
internal sealed class TrainingProgressBar(TextWriter writer, bool interactive) : IProgress<TrainingProgress>
{
    private const int Width = 24;
    private bool _drawn;

    public static TrainingProgressBar For(TextWriter writer) =>
        new(writer, ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    public void Report(TrainingProgress p)
    {
        var done = ((p.Member - 1) * p.MaxEpochs + p.Epoch) / (double)(p.Members * p.MaxEpochs);
        var filled = (int)Math.Round(Math.Clamp(done, 0, 1) * Width);
        var line = $"[{new string('#', filled)}{new string('.', Width - filled)}] member {p.Member}/{p.Members} " +
                   $"epoch {p.Epoch,2}/{p.MaxEpochs}  loss {p.TrainLoss:0.0000}" +
                   (p.ValidationLoss is { } v ? $"  val {v:0.0000} (best {p.BestValidationLoss:0.0000})" : "") +
                   $"  {p.Elapsed:mm\\:ss} elapsed, at most {p.EstimatedRemaining:mm\\:ss} left";
        if (interactive)
        {
            writer.Write('\r' + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 160) : 0));
            _drawn = true;
        }
        else
        {
            writer.WriteLine(line);
        }
    }

    /// <summary>Ends the bar's line so later output starts on its own.</summary>
    public void Done()
    {
        if (_drawn) writer.WriteLine();
        _drawn = false;
    }
}
