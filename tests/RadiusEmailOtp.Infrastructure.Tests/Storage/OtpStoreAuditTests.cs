using NUnit.Framework;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>The audit trail: an audited view records each change that takes effect, in the change's transaction.</summary>
[TestFixture(StoreEngine.Sqlite)]
[TestFixture(StoreEngine.Postgres)]
public sealed class OtpStoreAuditTests(StoreEngine engine) : StoreTestBase(engine)
{
    private StoreUnderTest _storage = null!;

    [SetUp]
    public async Task OpenStore() => _storage = await OpenStoreAsync();

    [TearDown]
    public void CloseStore() => _storage.Dispose();

    [Test]
    public async Task An_audited_change_records_who_what_and_the_serial_and_the_plain_store_records_nothing()
    {
        var token = Token("alice");
        await _storage.Store.AddTokenAsync(token, CancellationToken.None);
        await _storage.Store.SetActiveAsync(token.Serial, false, CancellationToken.None);

        Assert.That(await _storage.Store.WithAudit(Entry("token enable")).SetActiveAsync(token.Serial, true, CancellationToken.None), Is.True);

        var entry = (await _storage.Store.ListAuditAsync(null, 10, CancellationToken.None)).Single();
        Assert.That(entry, Is.EqualTo(Entry("token enable") with { Serial = token.Serial }));
        Assert.That((await _storage.Store.GetTokenAsync(token.Serial, CancellationToken.None))!.Active, Is.True);
    }

    [Test]
    public async Task Every_kind_of_admin_change_is_recorded_and_one_that_finds_no_token_is_not()
    {
        var token = Token("alice");
        var (salt, hash) = _storage.Protector.HashPin("new-pin");

        Assert.That(await _storage.Store.WithAudit(Entry("token enroll")).AddTokenAsync(token, CancellationToken.None), Is.True);
        Assert.That(await _storage.Store.WithAudit(Entry("token reset")).ResetFailCountAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That(await _storage.Store.WithAudit(Entry("token set-pin")).SetPinAsync(token.Serial, salt, hash, CancellationToken.None), Is.True);
        Assert.That(await _storage.Store.WithAudit(Entry("token set-email")).SetEmailAsync(token.Serial, "a@example.org", CancellationToken.None), Is.True);
        Assert.That(await _storage.Store.WithAudit(Entry("token delete")).DeleteTokenAsync(token.Serial, CancellationToken.None), Is.True);
        Assert.That(await _storage.Store.WithAudit(Entry("token delete")).DeleteTokenAsync(token.Serial, CancellationToken.None), Is.False);
        Assert.That(await _storage.Store.WithAudit(Entry("token enroll")).AddTokenAsync(token with { User = "bob" }, CancellationToken.None), Is.True);
        Assert.That(await _storage.Store.WithAudit(Entry("token enroll")).AddTokenAsync(token, CancellationToken.None), Is.False, "serial taken");

        var entries = await _storage.Store.ListAuditAsync(null, 100, CancellationToken.None);
        Assert.That(entries.Select(e => e.Action), Is.EqualTo(new[]
        {
            "token enroll", "token delete", "token set-email", "token set-pin", "token reset", "token enroll",
        }));
        Assert.That(entries.Select(e => e.Serial), Is.All.EqualTo(token.Serial));
    }

    [Test]
    public async Task An_import_records_one_entry_per_imported_token_and_none_for_skipped_ones()
    {
        await _storage.Store.AddTokenAsync(Token("alice"), CancellationToken.None);
        var bob = Token("bob");
        var carol = Token("carol");

        var result = await _storage.Store.WithAudit(Entry("token import", "file=users.csv"))
            .ImportTokensAsync([Token("alice"), bob, carol], skipExisting: true, CancellationToken.None);

        Assert.That(result.Imported, Is.EqualTo(2));
        var entries = await _storage.Store.ListAuditAsync(null, 10, CancellationToken.None);
        Assert.That(entries.Select(e => e.Serial), Is.EquivalentTo(new[] { bob.Serial, carol.Serial }));
        Assert.That(entries.Select(e => e.Detail), Has.Member("file=users.csv user=bob realm=example.com email=bob@example.com"));
    }

    [Test]
    public async Task An_import_that_writes_nothing_records_nothing()
    {
        await _storage.Store.AddTokenAsync(Token("alice"), CancellationToken.None);

        var result = await _storage.Store.WithAudit(Entry("token import"))
            .ImportTokensAsync([Token("bob"), Token("alice")], skipExisting: false, CancellationToken.None);

        Assert.That(result.Committed, Is.False);
        Assert.That(await _storage.Store.ListAuditAsync(null, 10, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task The_list_is_newest_first_filtered_by_user_and_limited()
    {
        for (var i = 0; i < 5; i++)
        {
            await _storage.Store.AppendAuditAsync(Entry($"restore {i}") with { User = i % 2 == 0 ? "bob" : "carol" }, CancellationToken.None);
        }

        var bob = await _storage.Store.ListAuditAsync("bob", 2, CancellationToken.None);

        Assert.That(bob.Select(e => e.Action), Is.EqualTo(new[] { "restore 4", "restore 2" }));
        Assert.That((await _storage.Store.ListAuditAsync(null, 100, CancellationToken.None)), Has.Count.EqualTo(5));
    }

    private AuditEntry Entry(string action, string detail = "") => new(Time.GetUtcNow(), "bob", "root", action, null, detail);

    private EmailToken Token(string user) =>
        TokenFactory.Create(
            _storage.Protector, CryptoRandomSource.Instance, user, "example.com", $"{user}@example.com", "pin-" + user, OtpHashAlgorithm.Sha1,
            6, 10, "", Time.GetUtcNow());
}
