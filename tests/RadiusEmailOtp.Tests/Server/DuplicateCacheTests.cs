using System.Net;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Server;

namespace RadiusEmailOtp.Tests.Server;

[TestFixture]
public sealed class DuplicateCacheTests
{
    private static readonly IPEndPoint s_nas = new(IPAddress.Loopback, 40000);
    private static readonly IPEndPoint s_local = new(IPAddress.Loopback, 1812);
    private readonly byte[] _authenticator = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [Test]
    public void First_request_is_new()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(5));
        Assert.That(Check(cache, 1, _authenticator, out _, out _), Is.EqualTo(DuplicateCache.Verdict.New));
    }

    [Test]
    public void Retransmit_while_processing_is_in_progress()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out _, out _);
        Assert.That(Check(cache, 1, _authenticator, out _, out var reply), Is.EqualTo(DuplicateCache.Verdict.InProgress));
        Assert.That(reply, Is.Null);
    }

    [Test]
    public void Retransmit_after_the_reply_gets_the_cached_reply()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out var claim, out _);
        cache.Complete(claim, [9, 9, 9]);
        Assert.That(Check(cache, 1, _authenticator, out _, out var reply), Is.EqualTo(DuplicateCache.Verdict.Replied));
        Assert.That(reply, Is.EqualTo(new byte[] { 9, 9, 9 }));
    }

    [Test]
    public void Cached_reply_expires_after_the_cleanup_delay()
    {
        var time = new FakeTimeProvider();
        var cache = new DuplicateCache(time, TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out var claim, out _);
        cache.Complete(claim, [9]);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.That(Check(cache, 1, _authenticator, out _, out _), Is.EqualTo(DuplicateCache.Verdict.New));
    }

    [Test]
    public void Sweep_removes_expired_replies_only()
    {
        var time = new FakeTimeProvider();
        var cache = new DuplicateCache(time, TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out var claim, out _);
        cache.Complete(claim, [9]);
        Check(cache, 2, _authenticator, out _, out _);
        time.Advance(TimeSpan.FromSeconds(6));
        cache.Sweep();
        Assert.That(cache.Count, Is.EqualTo(1), "the request still in progress stays");
    }

    [Test]
    public void Another_authenticator_with_the_same_identifier_is_new()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out var claim, out _);
        cache.Complete(claim, [9]);
        var other = _authenticator.Reverse().ToArray();
        Assert.That(Check(cache, 1, other, out _, out _), Is.EqualTo(DuplicateCache.Verdict.New));
    }

    [Test]
    public void Another_source_port_is_another_request()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out _, out _);
        Assert.That(cache.Check(new IPEndPoint(IPAddress.Loopback, 40001), s_local, 1, _authenticator, out _, out _), Is.EqualTo(DuplicateCache.Verdict.New));
    }

    [Test]
    public void Completing_a_request_replaced_by_a_newer_one_does_not_give_the_newer_one_its_reply()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out var older, out _);
        var newer = _authenticator.Reverse().ToArray();
        Check(cache, 1, newer, out _, out _);
        cache.Complete(older, [1, 1, 1]);
        Assert.That(Check(cache, 1, newer, out _, out var reply), Is.EqualTo(DuplicateCache.Verdict.InProgress));
        Assert.That(reply, Is.Null);
    }

    [Test]
    public void Forgetting_a_replaced_request_leaves_the_newer_one_in_place()
    {
        var cache = new DuplicateCache(new FakeTimeProvider(), TimeSpan.FromSeconds(5));
        Check(cache, 1, _authenticator, out var older, out _);
        var newer = _authenticator.Reverse().ToArray();
        Check(cache, 1, newer, out _, out _);
        cache.Forget(older);
        Assert.That(Check(cache, 1, newer, out _, out _), Is.EqualTo(DuplicateCache.Verdict.InProgress));
    }

    private static DuplicateCache.Verdict Check(DuplicateCache cache, byte id, byte[] authenticator, out DuplicateCache.Claim claim, out byte[]? reply) =>
        cache.Check(s_nas, s_local, id, authenticator, out claim, out reply);
}
