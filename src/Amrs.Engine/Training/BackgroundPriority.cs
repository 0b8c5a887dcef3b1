using System.Runtime.InteropServices;

namespace Amrs.Engine.Training;

/// <summary>
/// Training that shares a machine with care work (a retraining job inside the clinic) runs its thread at a lower
/// CPU priority, so the engine thread serving previews wins the cores whenever it has work and training takes the
/// rest. Linux keeps the nice value per thread; elsewhere this does nothing.
/// </summary>
public static class BackgroundPriority
{
    /// <summary>The nice value of a training thread (0 is normal, 19 the lowest priority).</summary>
    public const int TrainingNiceness = 10;

    private const int PriorityOfProcess = 0; // PRIO_PROCESS: with a thread id, that one thread on Linux

    /// <summary>Lowers the calling thread's priority; false when the platform or the kernel refused.</summary>
    public static bool LowerCurrentThread(int niceness = TrainingNiceness)
    {
        if (!OperatingSystem.IsLinux()) return false;
        return NativeMethods.setpriority(PriorityOfProcess, NativeMethods.gettid(), niceness) == 0;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int setpriority(int which, int who, int priority);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int gettid();
    }
}
