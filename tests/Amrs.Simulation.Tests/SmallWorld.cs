using Amrs.Simulation.Generation;

namespace Amrs.Simulation.Tests;

/// <summary>One small world with the default parameters, generated once and shared by the tests that only read it.</summary>
internal static class SmallWorld
{
    public static readonly WorldConfig Config = WorldConfig.Default.Scaled(patients: 150, tracks: 1000);

    private static readonly Lazy<GeneratedWorld> _world = new(() => WorldGenerator.Generate(Config));

    public static GeneratedWorld World => _world.Value;

    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
