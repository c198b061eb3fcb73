using NUnit.Framework;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>Migration 7: a token's resolver and origin, and one auto-enrolled token per user under concurrent first logins.</summary>
[TestFixture(StoreEngine.Sqlite)]
[TestFixture(StoreEngine.Postgres)]
public sealed class AutoEnrollStoreTests(StoreEngine engine) : StoreTestBase(engine)
{
    [Test]
    public async Task Twenty_concurrent_auto_enrolments_of_one_user_store_exactly_one_token()
    {
        using var storage = await OpenStoreAsync();
        var attempts = Enumerable.Range(0, 20).Select(_ => storage.Store.AddTokenAsync(DirectoryToken(storage, "dave"), CancellationToken.None)).ToArray();
        var added = await Task.WhenAll(attempts);

        Assert.That(added.Count(a => a), Is.EqualTo(1));
        var tokens = await storage.Store.ListTokensAsync("dave", "example.com", CancellationToken.None);
        Assert.That(tokens, Has.Count.EqualTo(1));
        Assert.That(tokens[0].AutoEnrolled, Is.True);
        Assert.That(tokens[0].Resolver, Is.EqualTo("corp"));
        Assert.That(tokens[0].UsesDirectoryAddress, Is.True);
    }

    [Test]
    public async Task An_admin_token_does_not_stop_an_auto_enrolled_one_and_old_tokens_read_as_local_admin_tokens()
    {
        using var storage = await OpenStoreAsync();
        var admin = await AddUserTokenAsync(storage, "dave");
        Assert.That(await storage.Store.AddTokenAsync(DirectoryToken(storage, "dave"), CancellationToken.None), Is.True);

        var stored = await storage.Store.GetTokenAsync(admin.Serial, CancellationToken.None);
        Assert.That(stored!.Resolver, Is.EqualTo(EmailToken.LocalResolver));
        Assert.That(stored.AutoEnrolled, Is.False);
        Assert.That(stored.UsesDirectoryAddress, Is.False);
        Assert.That(await storage.Store.ListTokensAsync("dave", "example.com", CancellationToken.None), Has.Count.EqualTo(2));
    }

    private EmailToken DirectoryToken(StoreUnderTest storage, string user) =>
        TokenFactory.Create(storage.Protector, CryptoRandomSource.Instance, user, "example.com", "", "", OtpHashAlgorithm.Sha1, 6, 10, "", Time.GetUtcNow())
            with { Resolver = "corp", AutoEnrolled = true };
}
