using TorchSharp;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Amrs.Engine.Tests.TorchThreads))]

namespace Amrs.Engine.Tests;

/// <summary>
/// Torch results are bit-identical only at a fixed thread count, and the machine's two cores are shared,
/// so every test runs torch on one thread.
/// </summary>
public sealed class TorchThreads
{
    public TorchThreads() => torch.set_num_threads(1);
}
