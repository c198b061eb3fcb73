using NUnit.Framework;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary><see cref="Otp.Storage.IOtpStore.ImportTokensAsync"/>: all or nothing.</summary>
[TestFixture(StoreEngine.Sqlite)]
[TestFixture(StoreEngine.Postgres)]
public sealed class OtpStoreImportTests(StoreEngine engine) : StoreTestBase(engine)
{
    private StoreUnderTest _storage = null!;

    [SetUp]
    public async Task OpenTheStoreAsync() => _storage = await OpenStoreAsync();

    [Test]
    public async Task Import_writes_every_token_with_its_fields_and_counts_them()
    {
        EmailToken[] tokens = [Token("alice"), Token("bob", "other.org", otpLength: 8, description: "laptop")];

        var result = await _storage.Store.ImportTokensAsync(tokens, skipExisting: false, CancellationToken.None);

        Assert.That(result.Committed, Is.True);
        Assert.That(result.Imported, Is.EqualTo(2));
        Assert.That(result.Skipped, Is.Zero);
        var bob = await _storage.Store.GetTokenAsync(tokens[1].Serial, CancellationToken.None);
        Assert.That(bob, Is.Not.Null);
        Assert.That(bob!.User, Is.EqualTo("bob"));
        Assert.That(bob.Realm, Is.EqualTo("other.org"));
        Assert.That(bob.OtpLength, Is.EqualTo(8));
        Assert.That(bob.Description, Is.EqualTo("laptop"));
        Assert.That(bob.Created, Is.EqualTo(Time.GetUtcNow()));
        Assert.That(_storage.Protector.VerifyPin(bob, "pin-bob"), Is.True);
        Assert.That(_storage.Protector.TryOpenSeed(bob, out _), Is.True, "the sealed seed is stored as it was");
    }

    [Test]
    public async Task A_user_who_already_has_a_token_is_named_and_nothing_is_written()
    {
        var existing = Token("alice");
        await _storage.Store.AddTokenAsync(existing, CancellationToken.None);

        var result = await _storage.Store.ImportTokensAsync([Token("bob"), Token("alice"), Token("carol")], skipExisting: false, CancellationToken.None);

        Assert.That(result.Committed, Is.False);
        Assert.That(result.ExistingUsers, Is.EqualTo(new[] { new UserIdentity("alice", "example.com") }));
        Assert.That(result.Imported, Is.Zero);
        var all = await _storage.Store.ListTokensAsync(null, null, CancellationToken.None);
        Assert.That(all.Select(t => t.Serial), Is.EqualTo(new[] { existing.Serial }));
    }

    [Test]
    public async Task Skipping_existing_users_writes_the_others_and_leaves_the_existing_token_unchanged()
    {
        var existing = Token("alice");
        await _storage.Store.AddTokenAsync(existing, CancellationToken.None);

        var result = await _storage.Store.ImportTokensAsync([Token("bob"), Token("alice", email: "new@example.com")], skipExisting: true, CancellationToken.None);

        Assert.That(result.Committed, Is.True);
        Assert.That(result.Imported, Is.EqualTo(1));
        Assert.That(result.Skipped, Is.EqualTo(1));
        var alice = await _storage.Store.ListTokensAsync("alice", "example.com", CancellationToken.None);
        Assert.That(alice.Select(t => (t.Serial, t.Email)), Is.EqualTo(new[] { (existing.Serial, "alice@example.com") }));
        Assert.That(await _storage.Store.ListTokensAsync("bob", "example.com", CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_serial_taken_by_a_stored_token_is_named_and_nothing_is_written()
    {
        var existing = Token("alice");
        await _storage.Store.AddTokenAsync(existing, CancellationToken.None);

        var result = await _storage.Store.ImportTokensAsync(
            [Token("bob"), Token("carol") with { Serial = existing.Serial }], skipExisting: false, CancellationToken.None);

        Assert.That(result.Committed, Is.False);
        Assert.That(result.TakenSerials, Is.EqualTo(new[] { existing.Serial }));
        Assert.That(await _storage.Store.ListTokensAsync(null, null, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_serial_twice_in_one_batch_is_named_and_nothing_is_written()
    {
        var bob = Token("bob");

        var result = await _storage.Store.ImportTokensAsync([bob, Token("carol") with { Serial = bob.Serial }], skipExisting: false, CancellationToken.None);

        Assert.That(result.TakenSerials, Is.EqualTo(new[] { bob.Serial }));
        Assert.That(await _storage.Store.ListTokensAsync(null, null, CancellationToken.None), Is.Empty);
    }

    private EmailToken Token(string user, string realm = "example.com", int otpLength = 6, string description = "", string? email = null) =>
        TokenFactory.Create(
            _storage.Protector, CryptoRandomSource.Instance, user, realm, email ?? $"{user}@example.com", "pin-" + user, OtpHashAlgorithm.Sha256,
            otpLength, 10, description, Time.GetUtcNow());
}
