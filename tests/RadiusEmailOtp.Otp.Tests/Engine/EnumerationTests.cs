using System.Net;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>
/// behaviour.md §2: a wrong PIN, an unknown user, a user without token and a disabled token look the same, timing included.
/// Timing is not asserted (it would be flaky); the store work that makes it is: the same calls in the same order.
/// </summary>
public sealed class EnumerationTests : EngineTestBase
{
    [TestCase("9999")]
    [TestCase("9999123456")]
    public async Task Unknown_user_no_token_and_disabled_token_make_the_same_store_calls_as_a_wrong_pin(string password)
    {
        await EnrollAsync(user: "alice");
        var disabled = await EnrollAsync(user: "dave");
        await Store.SetActiveAsync(disabled.Serial, false, CancellationToken.None);
        var counting = new CountingOtpStore(Store);
        var engine = new OtpEngine(counting, Storage.Protector, Mail, Routes, Settings, RealmSettings.Defaults, Time);
        // The first request of an engine runs the periodic cleanup; take it out of the comparison.
        await AuthenticateAsync(engine, "warm-up", password);

        var calls = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var user in new[] { "alice", "mallory", "dave" })
        {
            counting.Reset();
            var result = await AuthenticateAsync(engine, user, password);
            Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
            Assert.That(result.ReplyMessages, Is.Empty);
            calls[user] = counting.Calls;
        }

        Assert.That(calls["alice"], Is.EqualTo(new[] { "ListTokensAsync", "GetOpenChallengesAsync", "IncrementFailCountAsync" }));
        Assert.That(calls["mallory"], Is.EqualTo(calls["alice"]), "unknown user");
        Assert.That(calls["dave"], Is.EqualTo(calls["alice"]), "disabled token");
        Assert.That((await TokenAsync(disabled.Serial)).FailCount, Is.EqualTo(0), "the decoy write touches no token");
    }

    private static Task<AuthenticationResult> AuthenticateAsync(OtpEngine engine, string user, string password) =>
        engine.AuthenticateAsync(
            new AuthenticationRequest(user, password, ReadOnlyMemory<byte>.Empty, "vpn1", IPAddress.Parse("10.1.2.3"), ChallengeMode.Challenge), CancellationToken.None);
}
