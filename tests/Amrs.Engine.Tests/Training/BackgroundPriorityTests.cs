using Amrs.Engine.Training;

namespace Amrs.Engine.Tests.Training;

public sealed class BackgroundPriorityTests
{
    [Fact]
    public void A_training_thread_is_lowered_alone_and_the_threads_beside_it_keep_their_priority()
    {
        Assert.True(OperatingSystem.IsLinux(), "The clinic runs on Linux (Debian 12); the nice value is per thread there.");
        var normal = NiceOfCurrentThread();
        int lowered = -1, beside = -1;
        var training = new Thread(() =>
        {
            Assert.True(BackgroundPriority.LowerCurrentThread());
            lowered = NiceOfCurrentThread();
        });
        training.Start();
        training.Join();
        var other = new Thread(() => beside = NiceOfCurrentThread());
        other.Start();
        other.Join();

        Assert.Equal(BackgroundPriority.TrainingNiceness, lowered);
        Assert.Equal(normal, beside);
    }

    /// <summary>Field 19 of /proc/thread-self/stat (after the parenthesised command name) is the thread's nice value.</summary>
    private static int NiceOfCurrentThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
