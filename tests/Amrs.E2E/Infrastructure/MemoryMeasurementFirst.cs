using Amrs.E2E.Operations;
using Xunit.Sdk;
using Xunit.v3;

[assembly: Xunit.TestCollectionOrderer(typeof(Amrs.E2E.Infrastructure.MemoryMeasurementFirst))]

namespace Amrs.E2E.Infrastructure;

/// <summary>
/// Runs the circuit-memory measurement before every other collection, then the rest in xunit's default order. The
/// measurement reads this process's managed heap, which every end-to-end server in the process shares: run after
/// another collection, that server's disconnected circuits and pooled buffers were still being released during the
/// measurement and drove the per-clinician growth below zero (CI, stop 13: -3.9 MB). xunit's default order is random,
/// so the measurement was only clean when it happened to come first.
/// </summary>
public sealed class MemoryMeasurementFirst : ITestCollectionOrderer
{
    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : notnull, ITestCollection
    {
        var rest = DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections);
        return [.. rest.Where(collection => IsMeasurement(collection)), .. rest.Where(collection => !IsMeasurement(collection))];
    }

    private static bool IsMeasurement(ITestCollection collection) =>
        collection.TestCollectionDisplayName == CircuitMemoryCollection.Name;
}
