using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Infrastructure.Tests.Ldap;

/// <summary>TLS (StartTLS, LDAPS, trust) and servers that refuse or never answer.</summary>
public sealed class LdapFailureTests : LdapResolverTestBase
{
    [Test]
    public async Task Ldaps_with_the_issuing_ca_finds_and_binds()
    {
        var resolver = Resolver(Settings(Slapd.LdapsUri) with { CaFile = Slapd.CaFile });

        var alice = await FindAsync(resolver, "alice");

        Assert.That(alice.Status, Is.EqualTo(UserLookupStatus.Found), string.Join("\n", Logger.Warnings));
        Assert.That(await resolver.CheckPasswordAsync(alice.User!, "alice-password", CancellationToken.None), Is.EqualTo(PasswordCheckResult.Ok));
    }

    [Test]
    public async Task StartTls_with_the_issuing_ca_finds_and_binds()
    {
        var resolver = Resolver(Settings(Slapd.LdapUri) with { StartTls = true, CaFile = Slapd.CaFile });

        var alice = await FindAsync(resolver, "alice");

        Assert.That(alice.Status, Is.EqualTo(UserLookupStatus.Found), string.Join("\n", Logger.Warnings));
        Assert.That(await resolver.CheckPasswordAsync(alice.User!, "alice-password", CancellationToken.None), Is.EqualTo(PasswordCheckResult.Ok));
        Assert.That(Slapd.Log, Does.Contain("EXT oid=1.3.6.1.4.1.1466.20037"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_certificate_from_another_ca_is_refused_and_named(bool startTls)
    {
        var uri = startTls ? Slapd.LdapUri : Slapd.LdapsUri;
        var resolver = Resolver(Settings(uri) with { StartTls = startTls, CaFile = Slapd.OtherCaFile });

        var result = await FindAsync(resolver, "alice");

        Assert.That(result.Status, Is.EqualTo(UserLookupStatus.Unavailable));
        Assert.That(Logger.Warnings, Has.Some.Contains("corp").And.Contains($"localhost:{(startTls ? Slapd.LdapPort : Slapd.LdapsPort)}").And.Contains("untrusted certificate"));
    }

    [Test]
    public async Task A_certificate_for_another_name_is_refused_and_named()
    {
        var resolver = Resolver(Settings($"ldaps://127.0.0.1:{Slapd.LdapsPort}") with { CaFile = Slapd.CaFile });

        var result = await FindAsync(resolver, "alice");

        Assert.That(result.Status, Is.EqualTo(UserLookupStatus.Unavailable));
        Assert.That(Logger.Warnings, Has.Some.Contains("name mismatch"));
    }

    [Test]
    public async Task Tls_verify_false_accepts_an_untrusted_certificate_and_says_so()
    {
        var resolver = Resolver(Settings(Slapd.LdapsUri) with { CaFile = Slapd.OtherCaFile, TlsVerify = false });

        Assert.That((await FindAsync(resolver, "alice")).Status, Is.EqualTo(UserLookupStatus.Found));
        Assert.That(Logger.Warnings, Has.Some.Contains("tls_verify = false"));
    }

    [Test]
    public async Task A_refused_uri_is_named_and_the_next_one_answers()
    {
        var closed = ClosedPort();
        var resolver = Resolver(Settings($"ldap://127.0.0.1:{closed}", Slapd.LdapUri));

        var first = await FindAsync(resolver, "alice");
        var second = await FindAsync(resolver, "carol");

        Assert.That(first.Status, Is.EqualTo(UserLookupStatus.Found));
        Assert.That(second.Status, Is.EqualTo(UserLookupStatus.Found));
        Assert.That(Logger.Warnings.Count(w => w.Contains($"127.0.0.1:{closed}", StringComparison.Ordinal)), Is.EqualTo(1), "logged once, then skipped");
        Assert.That(Logger.Warnings.Single(), Does.Contain("connection refused"));
    }

    [Test]
    public async Task A_server_that_accepts_and_never_answers_fails_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<Socket>();
        var accepting = AcceptForeverAsync(silent, held);
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var settings = Settings($"ldap://127.0.0.1:{port}") with { ConnectTimeout = TimeSpan.FromSeconds(1), ResponseTimeout = TimeSpan.FromSeconds(1) };
        var resolver = Resolver(settings);

        // Bounded: 1 s connect + 1 s response; a hang would be ended by the 20 s guard, which fails the test.
        var lookup = FindAsync(resolver, "alice");
        var finished = await Task.WhenAny(lookup, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.That(finished, Is.SameAs(lookup), "the lookup did not come back");
        Assert.That((await lookup).Status, Is.EqualTo(UserLookupStatus.Unavailable));
        Assert.That(Logger.Warnings, Has.Some.Contains($"127.0.0.1:{port}").And.Contains("timed out"));
        silent.Stop();
        foreach (var socket in held)
        {
            socket.Dispose();
        }

        await accepting;
    }

    [Test]
    public async Task While_every_uri_is_dead_a_second_request_fails_fast_without_connecting()
    {
        var closed = ClosedPort();
        var resolver = Resolver(Settings($"ldap://127.0.0.1:{closed}"));

        var first = await FindAsync(resolver, "alice");
        var second = await FindAsync(resolver, "alice");

        Assert.That((first.Status, second.Status), Is.EqualTo((UserLookupStatus.Unavailable, UserLookupStatus.Unavailable)));
        Assert.That(Logger.Warnings, Has.Some.Contains("no URI could be asked"));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task AcceptForeverAsync(TcpListener listener, List<Socket> held)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                held.Add(await listener.AcceptSocketAsync());
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
