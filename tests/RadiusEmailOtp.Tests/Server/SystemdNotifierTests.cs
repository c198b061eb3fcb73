using NUnit.Framework;
using RadiusEmailOtp.Hosting;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>The sd_notify writer on its own: which environment turns it and its watchdog on, and abstract socket names.</summary>
[TestFixture]
public sealed class SystemdNotifierTests
{
    [Test]
    public void Without_notify_socket_nothing_is_sent()
    {
        Assert.That(SystemdNotifier.Create(null, "1000000", null, 42), Is.Null);
        Assert.That(SystemdNotifier.Create("", null, null, 42), Is.Null);
        Assert.That(SystemdNotifier.Create("relative/path", null, null, 42), Is.Null, "sd_notify takes absolute paths and abstract names only");
    }

    [Test]
    public void The_watchdog_pings_at_half_its_timeout_only_for_the_process_it_names()
    {
        using var own = SystemdNotifier.Create("/run/none", "3000000", "42", 42);
        using var anyPid = SystemdNotifier.Create("/run/none", "3000000", null, 42);
        using var other = SystemdNotifier.Create("/run/none", "3000000", "43", 42);
        using var none = SystemdNotifier.Create("/run/none", null, null, 42);

        Assert.That(own!.WatchdogInterval, Is.EqualTo(TimeSpan.FromSeconds(1.5)));
        Assert.That(anyPid!.WatchdogInterval, Is.EqualTo(TimeSpan.FromSeconds(1.5)));
        Assert.That(other!.WatchdogInterval, Is.Null, "WATCHDOG_PID names another process (a parent that kept the variables)");
        Assert.That(none!.WatchdogInterval, Is.Null);
    }

    [Test]
    public async Task An_abstract_socket_name_gets_the_messages()
    {
        var name = "@reo-notify-test-" + Guid.NewGuid().ToString("N")[..12];
        using var socket = new NotifySocket(name);
        using var notifier = SystemdNotifier.Create(name, null, null, Environment.ProcessId)!;

        notifier.Ready("Listening on 127.0.0.1:1812");
        notifier.Stopping();

        Assert.That(await socket.WaitForAsync(m => m == "READY=1\nSTATUS=Listening on 127.0.0.1:1812", TimeSpan.FromSeconds(5)), Is.Not.Null);
        Assert.That(await socket.WaitForAsync(m => NotifySocket.Has(m, "STOPPING=1"), TimeSpan.FromSeconds(5)), Is.Not.Null);
    }

    [Test]
    public void A_socket_nobody_listens_on_does_not_throw()
    {
        using var notifier = SystemdNotifier.Create("/nonexistent/notify.sock", null, null, 42)!;

        Assert.DoesNotThrow(() => notifier.Ready("x"));
    }
}
