using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Infrastructure.Storage;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

/// <summary>The outbox holds OTPs: owner-only modes, no crash leftovers, and mails do not stay forever (RETENTION_DAYS).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PickupOutboxFilesTests
{
    private string _root = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "outbox-files-" + Guid.NewGuid().ToString("N"));
        _dir = Path.Combine(_root, "data", "outbox");
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, true);
        }
    }

    [Test]
    public async Task The_directory_is_created_0700_and_each_mail_is_0600()
    {
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System);

        var result = await provider.SendAsync(PickupDirectoryEmailProviderTests.Message("123456"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted));
        Assert.That(File.GetUnixFileMode(_dir), Is.EqualTo(OwnerOnlyDirectory.Mode));
        var mail = Directory.GetFiles(_dir).Single();
        Assert.That(File.GetUnixFileMode(mail), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task A_new_data_directory_is_0700()
    {
        var dataDir = Path.Combine(_root, "var", "lib");

        using (await OtpStorage.OpenAsync(dataDir, TimeProvider.System, CancellationToken.None))
        {
            Assert.That(File.GetUnixFileMode(dataDir), Is.EqualTo(OwnerOnlyDirectory.Mode));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Test]
    public void Start_removes_the_temp_files_a_crash_left_and_keeps_the_mails()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, ".20260101T000000.0000000Z-a.eml.tmp"), "half a mail");
        File.WriteAllText(Path.Combine(_dir, "20260101T000000.0000000Z-b.eml"), "a mail");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not ours");
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System);

        var (leftovers, expired) = provider.StartMaintenance();

        Assert.That(leftovers, Is.EqualTo(1));
        Assert.That(expired, Is.Zero);
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "20260101T000000.0000000Z-b.eml", "notes.txt" }));
    }

    [Test]
    public void Mails_older_than_the_retention_are_deleted_at_start_and_then_every_hour()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Directory.CreateDirectory(_dir);
        var old = Mail("old.eml", time.GetUtcNow().AddDays(-8));
        var young = Mail("young.eml", time.GetUtcNow().AddDays(-6.5));
        var fresh = Mail("fresh.eml", time.GetUtcNow());
        var other = Mail("other.txt", time.GetUtcNow().AddDays(-30));
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, time, retentionDays: 7);

        var (_, expired) = provider.StartMaintenance();

        Assert.That(expired, Is.EqualTo(1));
        Assert.That(File.Exists(old), Is.False);
        Assert.That(File.Exists(young), Is.True);

        // Thirteen hours on, "young" is past 7 days old: an hourly round takes it; the fresh mail and a file not ours stay.
        time.Advance(TimeSpan.FromHours(13));

        Assert.That(File.Exists(young), Is.False);
        Assert.That(File.Exists(fresh), Is.True);
        Assert.That(File.Exists(other), Is.True);
    }

    [Test]
    public void Retention_0_keeps_every_mail()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Directory.CreateDirectory(_dir);
        var old = Mail("old.eml", time.GetUtcNow().AddDays(-400));
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, time, retentionDays: 0);

        provider.StartMaintenance();
        time.Advance(TimeSpan.FromDays(2));

        Assert.That(File.Exists(old), Is.True);
    }

    [Test]
    public void Maintenance_of_a_directory_not_created_yet_is_nothing_to_do()
    {
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System);

        Assert.That(provider.StartMaintenance(), Is.EqualTo((0, 0)));
        Assert.That(Directory.Exists(_dir), Is.False, "maintenance creates nothing");
    }

    [TestCase("", 7)]
    [TestCase(", RETENTION_DAYS = 30", 30)]
    [TestCase(", RETENTION_DAYS = \"0\"", 0)]
    public void RETENTION_DAYS_is_read_from_the_pickup_config(string extra, int days)
    {
        var config = Bind($"[[email_provider]]\nname = \"o\"\nclass = \"PickupDirectoryEmailProvider\"\ndefault = true\nconfig = {{ DIRECTORY = \"x\"{extra} }}\n", out var diagnostics);

        Assert.That(config, Is.Not.Null, string.Join("\n", diagnostics.Items));
        Assert.That(config!.EmailProviders.Single().RetentionDays, Is.EqualTo(days));
    }

    [TestCase("PickupDirectoryEmailProvider", "RETENTION_DAYS = -1", "out of range")]
    [TestCase("SMTPEmailProvider", "SMTP_SERVER = \"127.0.0.1\", RETENTION_DAYS = 7", "unknown key \"RETENTION_DAYS\"")]
    public void A_wrong_RETENTION_DAYS_is_an_error_on_its_line(string className, string keys, string message)
    {
        Bind($"[[email_provider]]\nname = \"o\"\nclass = \"{className}\"\ndefault = true\nconfig = {{ {keys} }}\n", out var diagnostics);

        Assert.That(diagnostics.Items.Where(d => d.IsError).Select(d => d.ToString()), Has.One.StartsWith("t.toml:5: error:").And.Contains(message));
    }

    private static AppConfig? Bind(string toml, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics("t.toml");
        return AppConfigLoader.Bind("t.toml", toml, diagnostics);
    }

    private string Mail(string name, DateTimeOffset written)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "Subject: x\r\n\r\nbody\r\n");
        File.SetLastWriteTimeUtc(path, written.UtcDateTime);
        return path;
    }
}
