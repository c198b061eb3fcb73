using NUnit.Framework;
using Microsoft.Extensions.Time.Testing;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Tests.Server;

[TestFixture]
public sealed class LogRateLimiterTests
{
    [Test]
    public void Only_the_first_line_per_interval_passes_and_the_rest_are_counted()
    {
        var time = new FakeTimeProvider();
        var limiter = new LogRateLimiter(time, TimeSpan.FromSeconds(1));
        Assert.That(limiter.ShouldLog("k", out var first), Is.True);
        Assert.That(first, Is.Empty);
        Assert.That(limiter.ShouldLog("k", out _), Is.False);
        Assert.That(limiter.ShouldLog("k", out _), Is.False);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(limiter.ShouldLog("k", out var later), Is.True);
        Assert.That(later, Does.Contain("2 similar messages suppressed"));
    }

    [Test]
    public void Different_keys_are_limited_separately()
    {
        var limiter = new LogRateLimiter(new FakeTimeProvider(), TimeSpan.FromSeconds(1));
        Assert.That(limiter.ShouldLog("a", out _), Is.True);
        Assert.That(limiter.ShouldLog("b", out _), Is.True);
    }
}
