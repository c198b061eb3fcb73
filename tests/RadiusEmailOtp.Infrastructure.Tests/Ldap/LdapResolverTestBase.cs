using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Ldap;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Infrastructure.Tests.Ldap;

/// <summary>One slapd for the fixture; each test builds its own resolver (own pool, cache and dead-marks).</summary>
public abstract class LdapResolverTestBase
{
    private readonly List<LdapUserResolver> _resolvers = [];

    internal SlapdServer Slapd { get; private set; } = null!;

    internal ListLogger Logger { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartSlapdAsync() => Slapd = await SlapdServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopSlapdAsync()
    {
        if (Slapd is not null)
        {
            await Slapd.DisposeAsync();
        }
    }

    [SetUp]
    public void NewLogger() => Logger = new ListLogger();

    [TearDown]
    public void DisposeResolvers()
    {
        foreach (var resolver in _resolvers)
        {
            resolver.Dispose();
        }

        _resolvers.Clear();
    }

    internal static LdapResolverSettings Settings(params string[] uris) => new(
        "corp",
        uris.Select(u => LdapUri.TryParse(u, out var uri, out _) ? uri! : throw new ArgumentException(u)).ToList(),
        StartTls: false,
        CaFile: null,
        TlsVerify: true,
        SlapdServer.ReaderDn,
        new LdapSecret(SlapdServer.ReaderPassword),
        SlapdServer.BaseDn,
        ["uid"],
        "(objectClass=inetOrgPerson)",
        "mail",
        TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(120));

    internal LdapUserResolver Resolver(LdapResolverSettings settings)
    {
        var resolver = new LdapUserResolver(settings, Logger, TimeProvider.System);
        _resolvers.Add(resolver);
        return resolver;
    }

    internal LdapUserResolver PlainResolver() => Resolver(Settings(Slapd.LdapUri));

    internal static Task<UserLookupResult> FindAsync(IUserResolver resolver, string login) =>
        resolver.FindAsync(new UserIdentity(login, "corp.example"), CancellationToken.None);
}
