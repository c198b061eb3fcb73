using System.Text;
using RadiusEmailOtp.Otp.Engine;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Storage;
using RadiusEmailOtp.Otp.Tokens;
using RadiusEmailOtp.Otp.Users;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>
/// Issue 9 in the engine: otppin = password for directory users (one bind per request, never one per guess), the address
/// read from the directory at each mail, auto-enrolment, the realm map, and a directory that cannot be asked.
/// </summary>
public sealed class DirectoryLoginTests : EngineTestBase
{
    private FakeDirectoryResolver _corp = null!;

    [SetUp]
    public void UseDirectory()
    {
        _corp = new FakeDirectoryResolver();
        _corp.Add("dave", "Correct-Horse", "dave@corp.example");
        UseDirectorySettings(EmailTokenSettings.Default with { OtpPin = OtpPinMode.Password });
    }

    [Test]
    public async Task A_directory_user_logs_in_with_the_directory_password_then_the_code_and_each_step_binds_at_most_once()
    {
        await EnrollDirectoryTokenAsync("dave");

        var challenge = await AuthAsync("Correct-Horse", userName: "dave");

        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(Mail.Requests.Single().Email, Is.EqualTo("dave@corp.example"), "the directory's address, read at send time");
        Assert.That(challenge.ReplyMessages.Single(), Does.Contain("@corp.example"));
        Assert.That(_corp.Binds, Is.EqualTo(1));

        var accept = await AuthAsync(LastOtp, challenge.State, userName: "dave");

        Assert.That(accept.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That(_corp.Binds, Is.EqualTo(1), "the answer with State binds nothing");
    }

    [Test]
    public async Task Password_and_code_in_one_go_while_a_challenge_is_open_is_accepted_with_one_bind()
    {
        await EnrollDirectoryTokenAsync("dave");
        await AuthAsync("Correct-Horse", userName: "dave");
        var binds = _corp.Binds;

        var accept = await AuthAsync("Correct-Horse" + LastOtp, userName: "dave");

        Assert.That(accept.Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
        Assert.That(_corp.Binds - binds, Is.EqualTo(1));
    }

    [Test]
    public async Task Wrong_codes_behind_the_right_password_cost_one_bind_each_and_count_as_wrong_answers()
    {
        var token = await EnrollDirectoryTokenAsync("dave");
        await AuthAsync("Correct-Horse", userName: "dave");
        var binds = _corp.Binds;

        for (var i = 0; i < 3; i++)
        {
            var result = await AuthAsync("Correct-Horse" + WrongOtp(LastOtp), userName: "dave");
            Assert.That(result.Reason, Is.EqualTo("wrong otp"));
        }

        Assert.That(_corp.Binds - binds, Is.EqualTo(3), "one bind per request, never one per guessed code");
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.EqualTo(3));
    }

    [TestCase("wrong-password")]
    [TestCase("")]
    public async Task A_wrong_or_empty_directory_password_counts_like_a_wrong_pin_and_mails_nothing(string password)
    {
        var token = await EnrollDirectoryTokenAsync("dave");

        var result = await AuthAsync(password, userName: "dave");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("wrong pin"));
        Assert.That(Mail.Requests, Is.Empty);
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_locked_directory_user_is_rejected_without_a_bind()
    {
        await EnrollDirectoryTokenAsync("dave");
        for (var i = 0; i < Settings.MaxFail; i++)
        {
            await AuthAsync("wrong-password", userName: "dave", client: "vpn" + i);
        }

        var binds = _corp.Binds;
        var result = await AuthAsync("Correct-Horse", userName: "dave", client: "vpn-other");

        Assert.That(result.Reason, Is.EqualTo("locked"));
        Assert.That(_corp.Binds, Is.EqualTo(binds));
    }

    [Test]
    public async Task Each_mail_goes_to_the_address_the_directory_holds_at_that_moment()
    {
        UseDirectorySettings(Settings with { BlockingTimeout = TimeSpan.Zero });
        await EnrollDirectoryTokenAsync("dave");
        await AuthAsync("Correct-Horse", userName: "dave");

        _corp.SetEmail("dave", "dave.new@corp.example");
        await AuthAsync("Correct-Horse", userName: "dave");

        Assert.That(Mail.Requests.Select(r => r.Email), Is.EqualTo(new[] { "dave@corp.example", "dave.new@corp.example" }));
    }

    [Test]
    public async Task A_user_without_an_address_gets_the_send_failed_reply_and_no_counter_moves()
    {
        var token = await EnrollDirectoryTokenAsync("dave");
        _corp.SetEmail("dave", null);

        var result = await AuthAsync("Correct-Horse", userName: "dave");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("no e-mail address in the directory"));
        Assert.That(result.ReplyMessages, Is.EqualTo(new[] { Settings.SendFailedMessage }));
        Assert.That(Mail.Requests, Is.Empty);
        Assert.That((await TokenAsync(token.Serial)).Counter, Is.EqualTo(token.Counter));
    }

    [Test]
    public async Task Auto_enrolment_gives_a_first_time_user_one_token_and_mails_the_code_in_the_same_request()
    {
        UseDirectorySettings(Settings with { AutoEnroll = true });

        var challenge = await AuthAsync("Correct-Horse", userName: "dave");

        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        var token = (await Store.ListTokensAsync("dave", "example.com", CancellationToken.None)).Single();
        Assert.That(token.AutoEnrolled, Is.True);
        Assert.That(token.Resolver, Is.EqualTo("corp"));
        Assert.That(token.UsesDirectoryAddress, Is.True);
        Assert.That(Mail.Requests.Single().Email, Is.EqualTo("dave@corp.example"));
        Assert.That((await AuthAsync(LastOtp, challenge.State, userName: "dave")).Outcome, Is.EqualTo(AuthenticationOutcome.Accept));
    }

    [Test]
    public async Task Auto_enrolment_needs_the_right_password_and_is_off_by_default()
    {
        Assert.That((await AuthAsync("Correct-Horse", userName: "dave")).Reason, Is.EqualTo("unknown user or no active token"), "autoenroll off");

        UseDirectorySettings(Settings with { AutoEnroll = true });
        Assert.That((await AuthAsync("wrong-password", userName: "dave")).Reason, Is.EqualTo("wrong pin"));
        Assert.That(await Store.ListTokensAsync("dave", null, CancellationToken.None), Is.Empty);
        Assert.That(Mail.Requests, Is.Empty);
    }

    [Test]
    public async Task Concurrent_first_logins_on_two_nodes_enrol_exactly_one_token()
    {
        UseDirectorySettings(Settings with { AutoEnroll = true });
        var otherNode = NewEngine(Settings);

        var logins = Enumerable.Range(0, 20)
            .Select(i => (i % 2 == 0 ? Engine : otherNode).AuthenticateAsync(Request("dave", "Correct-Horse", "vpn1"), CancellationToken.None))
            .ToArray();
        var results = await Task.WhenAll(logins);

        Assert.That(await Store.ListTokensAsync("dave", null, CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(results, Has.All.Matches<AuthenticationResult>(r => r.Outcome == AuthenticationOutcome.Challenge));
        await otherNode.DrainAsync(CancellationToken.None);
    }

    [Test]
    public async Task A_user_of_the_token_table_keeps_the_token_pin_under_otppin_password()
    {
        await EnrollAsync("alice", pin: "1234");

        var challenge = await AuthAsync("1234");

        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(_corp.Binds, Is.Zero);
    }

    [Test]
    public async Task A_user_of_the_token_table_in_a_directory_realm_has_the_tokens_read_once_per_request()
    {
        await EnrollAsync("alice", pin: "1234");
        var counting = new CountingOtpStore(Store);
        ReplaceEngine(NewEngine(Settings, store: counting));

        var challenge = await AuthAsync("1234");

        Assert.That(challenge.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(counting.Calls.Count(c => c == nameof(IOtpStore.ListTokensAsync)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_user_the_realms_resolvers_do_not_know_is_unknown_even_with_a_token()
    {
        UseDirectorySettings(Settings, ["corp"]);
        await EnrollAsync("alice", pin: "1234");

        var result = await AuthAsync("1234");

        Assert.That(result.Reason, Is.EqualTo("unknown user or no active token"));
        Assert.That(Mail.Requests, Is.Empty);
    }

    [Test]
    public async Task A_directory_that_cannot_be_asked_rejects_and_counts_against_no_one()
    {
        var token = await EnrollDirectoryTokenAsync("dave");
        _corp.Down = true;

        var result = await AuthAsync("Correct-Horse", userName: "dave");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Reject));
        Assert.That(result.Reason, Is.EqualTo("directory unavailable"));
        Assert.That((await TokenAsync(token.Serial)).FailCount, Is.Zero);
    }

    [Test]
    public async Task The_realms_own_otppin_wins_over_the_global_one()
    {
        UseDirectorySettings(EmailTokenSettings.Default, ["corp", "local"], OtpPinMode.Password);
        await EnrollDirectoryTokenAsync("dave");

        var result = await AuthAsync("Correct-Horse", userName: "dave");

        Assert.That(result.Outcome, Is.EqualTo(AuthenticationOutcome.Challenge));
        Assert.That(_corp.Binds, Is.EqualTo(1));
    }

    private void UseDirectorySettings(EmailTokenSettings settings, string[]? resolvers = null, OtpPinMode? realmOtpPin = null)
    {
        UseSettings(settings);
        ReplaceEngine(NewEngine(settings, resolvers, realmOtpPin));
    }

    private OtpEngine NewEngine(EmailTokenSettings settings, string[]? resolvers = null, OtpPinMode? realmOtpPin = null, IOtpStore? store = null)
    {
        store ??= Store;
        resolvers ??= ["corp", "local"];
        var local = new LocalUserResolver(store, Storage.Protector);
        var byName = new Dictionary<string, IUserResolver> { ["corp"] = _corp, ["local"] = local };
        var users = new UserDirectory(local, new Dictionary<string, IReadOnlyList<IUserResolver>> { ["example.com"] = [.. resolvers.Select(n => byName[n])] });
        var configuration = new EngineConfiguration(settings, RealmSettings.Defaults, Mail, Routes)
        {
            Users = users,
            RealmEntries = [new RealmEntry("example.com", resolvers, realmOtpPin)],
        };
        return new OtpEngine(store, Storage.Protector, configuration, Time);
    }

    private async Task<EmailToken> EnrollDirectoryTokenAsync(string user)
    {
        var token = TokenFactory.Create(
            Storage.Protector, CryptoRandomSource.Instance, user, "example.com", string.Empty, "unused-pin", OtpHashAlgorithm.Sha1, 6, Settings.MaxFail, string.Empty, Time.GetUtcNow())
            with { Resolver = "corp" };
        Assert.That(await Store.AddTokenAsync(token, CancellationToken.None), Is.True);
        return token;
    }

    private static AuthenticationRequest Request(string user, string password, string client) =>
        new(user, password, Encoding.ASCII.GetBytes(string.Empty), client, System.Net.IPAddress.Loopback, ChallengeMode.Challenge);
}
