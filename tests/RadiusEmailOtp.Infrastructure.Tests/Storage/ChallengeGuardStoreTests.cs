using NUnit.Framework;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>
/// <see cref="ChallengeGuard"/>: the blocking window and the mail limit, checked by the store in the step that advances
/// the counter, so a request that read "no open challenge" before another one mailed cannot mail a second time.
/// </summary>
[TestFixture(StoreEngine.Sqlite)]
[TestFixture(StoreEngine.Postgres)]
public sealed class ChallengeGuardStoreTests(StoreEngine engine) : StoreTestBase(engine)
{
    private StoreUnderTest _storage = null!;
    private EmailToken _token = null!;

    [SetUp]
    public async Task AddTokenAsync()
    {
        _storage = await OpenStoreAsync();
        _token = await AddUserTokenAsync(_storage);
    }

    [Test]
    public async Task An_open_challenge_inside_the_window_blocks_the_next_whatever_counter_is_offered()
    {
        Assert.That(await CreateAsync("s0", Window(minutes: 2)), Is.Not.Null);
        Time.Advance(TimeSpan.FromSeconds(30));

        Assert.That(await CreateAsync("s1", Window(minutes: 2)), Is.Null);
        Assert.That((await CurrentAsync()).Counter, Is.EqualTo(1), "the counter did not move");
        Time.Advance(TimeSpan.FromSeconds(91));
        Assert.That(await CreateAsync("s2", Window(minutes: 2)), Is.Not.Null, "outside the window");
    }

    [Test]
    public async Task Accepted_and_unknown_deliveries_block_and_failed_interrupted_or_answered_ones_do_not()
    {
        var first = (await CreateAsync("s0", Window(minutes: 2)))!;
        await _storage.Store.RecordDeliveryAsync(first.Id, DeliveryStatus.Unknown, "smtp", null, "connection reset", TimeSpan.Zero, CancellationToken.None);
        Assert.That(await CreateAsync("s1", Window(minutes: 2)), Is.Null, "unknown: the mail may have arrived");

        await _storage.Store.RecordDeliveryAsync(first.Id, DeliveryStatus.Failed, "smtp", null, "refused", TimeSpan.Zero, CancellationToken.None);
        var second = (await CreateAsync("s2", Window(minutes: 2)))!;
        Assert.That(second, Is.Not.Null, "failed on every provider");

        await _storage.Store.MarkInterruptedDeliveriesAsync(CancellationToken.None);
        var third = (await CreateAsync("s3", Window(minutes: 2)))!;
        Assert.That(third, Is.Not.Null, "interrupted by a restart: may never have left");

        Assert.That(await _storage.Store.TryAnswerChallengeAsync(third, Time.GetUtcNow(), CancellationToken.None), Is.True);
        Assert.That(await CreateAsync("s4", Window(minutes: 2)), Is.Not.Null, "answered");
    }

    [Test]
    public async Task An_expired_challenge_does_not_block_even_inside_the_window()
    {
        Assert.That(await CreateAsync("s0", Window(minutes: 10)), Is.Not.Null);
        Time.Advance(TimeSpan.FromMinutes(6));

        Assert.That(await CreateAsync("s1", Window(minutes: 10)), Is.Not.Null, "valid for 5 minutes only");
    }

    [Test]
    public async Task A_zero_blocking_timeout_blocks_nothing()
    {
        Assert.That(await CreateAsync("s0", Window(minutes: 0)), Is.Not.Null);
        Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That(await CreateAsync("s1", Window(minutes: 0)), Is.Not.Null);
    }

    [Test]
    public async Task A_state_bound_to_its_nas_blocks_only_that_nas()
    {
        Assert.That(await CreateAsync("s0", Window(minutes: 2, client: "vpn1"), client: "vpn1"), Is.Not.Null);

        Assert.That(await CreateAsync("s1", Window(minutes: 2, client: "vpn2"), client: "vpn2"), Is.Not.Null, "another NAS's login");
        Assert.That(await CreateAsync("s2", Window(minutes: 2, client: "vpn1"), client: "vpn1"), Is.Null);
        Assert.That(await CreateAsync("s3", Window(minutes: 2), client: "vpn3"), Is.Null, "unbound: any NAS's challenge blocks");
    }

    [Test]
    public async Task The_mail_limit_counts_the_window_without_failed_deliveries()
    {
        var limit = new ChallengeGuard(Time.GetUtcNow(), null, Time.GetUtcNow().AddMinutes(-10), 2);
        var first = (await CreateAsync("s0", limit))!;
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await CreateAsync("s1", limit with { BlockedSince = Time.GetUtcNow() }), Is.Not.Null);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await CreateAsync("s2", limit with { BlockedSince = Time.GetUtcNow() }), Is.Null, "two mails in the window");

        await _storage.Store.RecordDeliveryAsync(first.Id, DeliveryStatus.Failed, "smtp", null, "refused", TimeSpan.Zero, CancellationToken.None);
        Assert.That(await CreateAsync("s3", limit with { BlockedSince = Time.GetUtcNow() }), Is.Not.Null, "nobody received the failed one");
        Assert.That(await CreateAsync("s4", limit with { BlockedSince = Time.GetUtcNow(), MailWindowSince = Time.GetUtcNow() }), Is.Not.Null, "a new window");
    }

    private ChallengeGuard Window(int minutes, string? client = null) =>
        new(Time.GetUtcNow().AddMinutes(-minutes), client, Time.GetUtcNow().AddMinutes(-10), 100);

    private async Task<EmailToken> CurrentAsync() => (await _storage.Store.GetTokenAsync(_token.Serial, CancellationToken.None))!;

    // Always offers the current counter, as a request that re-read the token would: only the guard can refuse.
    private async Task<OtpChallenge?> CreateAsync(string state, ChallengeGuard guard, string client = "vpn1")
    {
        var current = await CurrentAsync();
        return await _storage.Store.TryCreateChallengeAsync(Challenge(current, state, current.Counter, client), guard, CancellationToken.None);
    }
}
