namespace Amrs.Engine;

/// <summary>Configuration section "Engine".</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>Folder of the model store (outside the repository); created if missing.</summary>
    public string ModelStoreRoot { get; set; } = "";

    /// <summary>Torch intra-op threads for this process; null leaves libtorch's default.</summary>
    public int? TorchThreads { get; set; }
}
