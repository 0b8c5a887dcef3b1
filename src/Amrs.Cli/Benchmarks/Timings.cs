using System.Diagnostics;

namespace Amrs.Cli.Benchmarks;

/// <summary>Median, 95th percentile, mean and count of a set of measured durations, in milliseconds.</summary>
public sealed record Timings(double MedianMs, double P95Ms, double MeanMs, double MinMs, int Count)
{
    public static Timings Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0) throw new ArgumentException("No measurements.", nameof(milliseconds));
        var sorted = milliseconds.Order().ToArray();
        // Nearest-rank percentiles: the value below which the given share of the measurements lies.
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Timings(Rank(0.5), Rank(0.95), sorted.Average(), sorted[0], sorted.Length);
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times unmeasured, then <paramref name="runs"/> times measured.</summary>
    public static Timings Measure(Action action, int runs, int warmup = 2)
    {
        for (var i = 0; i < warmup; i++) action();
        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        return Of(samples);
    }

    public override string ToString() => $"median {MedianMs,8:F1} ms  p95 {P95Ms,8:F1} ms  ({Count} runs)";
}
