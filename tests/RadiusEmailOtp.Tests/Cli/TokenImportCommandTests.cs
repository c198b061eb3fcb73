using System.Text.Json;
using NUnit.Framework;
using RadiusEmailOtp.Cli;
using RadiusEmailOtp.Infrastructure.Storage;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary><c>token import</c>: bulk enrolment from CSV, all or nothing.</summary>
[NonParallelizable]
public sealed class TokenImportCommandTests : InProcessCliTest
{
    private const string Header = "user,realm,email,pin";

    [Test]
    public async Task A_good_file_enrolls_every_row_with_its_fields_and_its_pin()
    {
        var file = WriteCsv(
            "\uFEFFuser,realm,email,pin,otp_length,hash,description\r\n"
            + "Alice,,alice@example.com,pin-alice,8,sha256,\"laptop, office\"\r\n"
            + "bob,Other.ORG,bob@other.org,\"12,34\",,,\r\n");

        var (code, stdout, stderr) = await RunAsync("token", "import", file);

        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("imported 2 tokens"));
        var tokens = await TokensAsync();
        var alice = tokens.Single(t => t.User == "alice");
        Assert.That((alice.Realm, alice.Email, alice.OtpLength, alice.Hash, alice.Description, alice.MaxFail),
            Is.EqualTo(("example.com", "alice@example.com", 8, OtpHashAlgorithm.Sha256, "laptop, office", 7)));
        var bob = tokens.Single(t => t.User == "bob");
        Assert.That((bob.Realm, bob.OtpLength, bob.Hash, bob.Description), Is.EqualTo(("other.org", 6, OtpHashAlgorithm.Sha1, "")));
        Assert.That(await VerifyPinAsync(alice, "pin-alice"), Is.True);
        Assert.That(await VerifyPinAsync(bob, "12,34"), Is.True, "a quoted PIN keeps its comma");
        Assert.That(await VerifyPinAsync(bob, "12"), Is.False);
    }

    [Test]
    public async Task An_empty_realm_is_the_default_realm_and_a_realm_in_the_user_name_is_split_off()
    {
        var file = WriteCsv($"{Header}\ncarol,,carol@example.com,1234\ndave@Branch.example,,dave@example.com,1234\n\n");

        var (code, _, stderr) = await RunAsync("token", "import", file);

        Assert.That(code, Is.EqualTo(0), stderr);
        var tokens = await TokensAsync();
        Assert.That(tokens.Select(t => (t.User, t.Realm)), Is.EquivalentTo(new[] { ("carol", "example.com"), ("dave", "branch.example") }));
    }

    [TestCase("bob,,bob,1234", "line 3, column email: the value is not an e-mail address", null)]
    // Columns shifted by one (a PIN under "email"): the error names the column, never the cell's value.
    [TestCase("bob,,4711secret,bob@example.com", "line 3, column email: the value is not an e-mail address", "4711secret")]
    [TestCase("bob,,bob@example.com,s3", "line 3, column pin: must be 4 to 64 characters long", "s3")]
    [TestCase("bob,,bob@example.com,se cret", "line 3, column pin: must not contain spaces", "se cret")]
    [TestCase(",,bob@example.com,1234", "line 3, column user:", null)]
    [TestCase("bob,,,1234", "line 3, column email: is empty", null)]
    [TestCase("bob,,bob@example.com,", "line 3, column pin: is empty", null)]
    [TestCase("bob,,bob@example.com", "line 3: 3 fields, but the header has 4 columns", null)]
    [TestCase("bob,,bob@example.com,\"open", "line 3: a quoted field is not closed", null)]
    [TestCase("", "line 3: an empty line between rows", null)]
    public async Task A_bad_row_names_its_line_and_column_and_nothing_is_imported(string badRow, string expected, string? secret)
    {
        var file = WriteCsv($"{Header}\nalice,,alice@example.com,1234\n{badRow}\ncarol,,carol@example.com,1234\n");

        var (code, stdout, stderr) = await RunAsync("token", "import", file);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Contain($"{file} {expected}"));
        if (secret is not null)
        {
            Assert.That(stderr, Does.Not.Contain(secret), "the PIN never appears in an error");
        }

        Assert.That(Directory.Exists(DataDir), Is.False, "a refused import creates no database");
    }

    [Test]
    public async Task A_bad_row_leaves_an_existing_database_unchanged()
    {
        var serial = await EnrollAsync("zoe");
        var file = WriteCsv($"{Header}\nalice,,alice@example.com,1234\nbob,,bob@example.com,1234,extra\n");

        var (code, _, stderr) = await RunAsync("token", "import", file);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("line 3: 5 fields"));
        Assert.That((await TokensAsync()).Select(t => t.Serial), Is.EqualTo(new[] { serial }));
    }

    [TestCase("user,realm,email", "line 1: missing column \"pin\"")]
    [TestCase("user,email", "line 1: missing columns \"realm\", \"pin\"")]
    [TestCase("user,realm,email,pin,PIN", "line 1: unknown column \"PIN\"")]
    [TestCase("user,realm,email,pin,colour", "line 1: unknown column \"colour\"")]
    [TestCase("user,realm,email,pin,user", "line 1: column \"user\" appears twice")]
    [TestCase("", "line 1: the first line must be the header user,realm,email,pin")]
    public async Task A_bad_header_names_the_column_at_line_1(string header, string expected)
    {
        var file = WriteCsv($"{header}\nalice,,alice@example.com,1234\n");

        var (code, _, stderr) = await RunAsync("token", "import", file);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain($"{file} {expected}"));
        Assert.That(Directory.Exists(DataDir), Is.False);
    }

    [Test]
    public async Task Two_rows_for_one_user_name_both_lines()
    {
        var file = WriteCsv($"{Header}\nalice,,alice@example.com,1234\nbob,,bob@example.com,1234\nALICE@example.com,,a2@example.com,1234\n");

        var (code, _, stderr) = await RunAsync("token", "import", file);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("line 4, column user: alice@example.com is already on line 2"));
        Assert.That(Directory.Exists(DataDir), Is.False);
    }

    [Test]
    public async Task A_user_who_already_has_a_token_fails_the_import_by_name_and_nothing_is_imported()
    {
        var serial = await EnrollAsync("alice");
        var file = WriteCsv($"{Header}\nbob,,bob@example.com,1234\nalice,,alice@example.com,5678\n");

        var (code, stdout, stderr) = await RunAsync("token", "import", file);

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain("alice@example.com (line 3) already has a token").And.Contain("nothing imported"));
        Assert.That((await TokensAsync()).Select(t => t.Serial), Is.EqualTo(new[] { serial }), "bob was not imported either");
    }

    [Test]
    public async Task Skip_existing_imports_the_others_and_leaves_the_existing_token_unchanged()
    {
        var serial = await EnrollAsync("alice");
        var before = (await TokensAsync()).Single();
        var file = WriteCsv($"{Header}\nalice,,alice@new.example.org,9999\nbob,,bob@example.com,1234\n");

        var (code, stdout, stderr) = await RunAsync("token", "import", "--skip-existing", file);

        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("imported 1 token, skipped 1 existing"));
        var tokens = await TokensAsync();
        var alice = tokens.Single(t => t.User == "alice");
        Assert.That(alice.Serial, Is.EqualTo(serial));
        Assert.That(alice.Email, Is.EqualTo("alice@example.com"));
        Assert.That(alice.PinHash, Is.EqualTo(before.PinHash));
        Assert.That(await VerifyPinAsync(alice, "1234"), Is.True);
        Assert.That(await VerifyPinAsync(alice, "9999"), Is.False);
        Assert.That(tokens.Select(t => t.User), Is.EquivalentTo(new[] { "alice", "bob" }));
    }

    [Test]
    public async Task A_dash_reads_the_file_from_standard_input()
    {
        var (code, stdout, stderr) = await RunWithInputAsync($"{Header}\nalice,,alice@example.com,1234\nbob,,bob@example.com,1234\n", "token", "import", "-");

        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("imported 2 tokens"));
        var (_, json, _) = await RunAsync("token", "list", "--json");
        using var parsed = JsonDocument.Parse(json);
        Assert.That(parsed.RootElement.EnumerateArray().Select(t => t.GetProperty("user").GetString()), Is.EquivalentTo(new[] { "alice", "bob" }));
    }

    [Test]
    public async Task An_error_in_standard_input_is_named_stdin()
    {
        var (code, _, stderr) = await RunWithInputAsync($"{Header}\nalice,,nope,1234\n", "token", "import", "-");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("stdin line 2, column email:"));
    }

    [Test]
    public async Task A_missing_file_or_argument_is_a_one_line_error()
    {
        var (code, _, stderr) = await RunAsync("token", "import", Path.Combine(TempDir, "nope.csv"));
        var (noFileCode, _, noFileError) = await RunAsync("token", "import");

        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("cannot read").And.Contain("nope.csv"));
        Assert.That(noFileCode, Is.Not.EqualTo(0));
        Assert.That(noFileError, Does.Contain("missing the CSV file"));
        Assert.That(Directory.Exists(DataDir), Is.False);
    }

    [Test]
    public async Task Taken_serials_in_the_batch_and_in_the_store_get_fresh_ones_and_the_import_succeeds()
    {
        await EnrollAsync("zoe");
        using var storage = await OtpStorage.OpenExistingAsync(DataDir, TimeProvider.System, CancellationToken.None);
        var random = new RepeatingSerialRandom(3);
        var now = DateTimeOffset.UtcNow;
        var stored = TokenFactory.Create(storage.Protector, random, "yves", "example.com", "yves@example.com", "1234", OtpHashAlgorithm.Sha1, 6, 7, "", now);
        Assert.That(await storage.Store.AddTokenAsync(stored, CancellationToken.None), Is.True);
        var tokens = new[] { "alice", "bob" }
            .Select(u => TokenFactory.Create(storage.Protector, random, u, "example.com", $"{u}@example.com", "pin-" + u, OtpHashAlgorithm.Sha1, 6, 7, "", now))
            .ToArray();
        Assert.That(tokens.Select(t => t.Serial), Is.All.EqualTo(stored.Serial), "the test's premise: every serial is taken");

        var result = await TokenImportCommand.StoreAsync(storage.Store, storage.Protector, random, tokens, skipExisting: false, CancellationToken.None);

        Assert.That(result.Imported, Is.EqualTo(2));
        var all = await storage.Store.ListTokensAsync(null, null, CancellationToken.None);
        Assert.That(all.Select(t => t.Serial).Distinct().Count(), Is.EqualTo(4));
        var bob = all.Single(t => t.User == "bob");
        Assert.That(storage.Protector.VerifyPin(bob, "pin-bob"), Is.True);
        Assert.That(storage.Protector.TryOpenSeed(bob, out _), Is.True, "the seed was sealed again for the new serial");
    }

    private string WriteCsv(string text)
    {
        var path = Path.Combine(TempDir, "users.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<IReadOnlyList<EmailToken>> TokensAsync()
    {
        using var storage = await OtpStorage.OpenExistingAsync(DataDir, TimeProvider.System, CancellationToken.None);
        return await storage.Store.ListTokensAsync(null, null, CancellationToken.None);
    }

    private async Task<bool> VerifyPinAsync(EmailToken token, string pin)
    {
        using var storage = await OtpStorage.OpenExistingAsync(DataDir, TimeProvider.System, CancellationToken.None);
        return storage.Protector.VerifyPin(token, pin);
    }

    /// <summary>Gives the first <c>count</c> serials the same four bytes, then real randomness.</summary>
    private sealed class RepeatingSerialRandom(int count) : IRandomSource
    {
        private int _left = count;

        public void Fill(Span<byte> buffer)
        {
            if (buffer.Length == 4 && _left > 0)
            {
                _left--;
                buffer.Fill(0xA5);
                return;
            }

            CryptoRandomSource.Instance.Fill(buffer);
        }
    }
}
