using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirLockTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "datadirlock-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_second_holder_is_refused_with_the_first_ones_pid()
    {
        using var first = DataDirLock.Acquire(_dir);

        var refused = Assert.Throws<DataDirLockedException>(() => DataDirLock.Acquire(_dir))!;

        Assert.That(refused.HolderPid, Is.EqualTo(Environment.ProcessId));
        Assert.That(refused.Message, Does.Contain($"PID {Environment.ProcessId}"));
    }

    [Test]
    public void The_lock_is_free_again_once_released()
    {
        DataDirLock.Acquire(_dir).Dispose();

        var again = DataDirLock.Acquire(_dir);
        again.Dispose();
        Assert.That(File.ReadAllText(again.Path).Trim(), Is.EqualTo(Environment.ProcessId.ToString()));
    }

    [Test]
    public void The_lock_file_is_private_to_the_owner()
    {
        using var held = DataDirLock.Acquire(_dir);

        Assert.That(File.GetUnixFileMode(held.Path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }
}
