using MimeKit;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Email;

namespace RadiusEmailOtp.Infrastructure.Tests.Email;

public sealed class PickupDirectoryEmailProviderTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N"), "nested");

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(_dir)!, true);

    [Test]
    public async Task Creates_the_directory_and_writes_one_parsable_eml_per_mail()
    {
        var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System);

        for (var i = 0; i < 3; i++)
        {
            var result = await provider.SendAsync(Message($"{i}00000"), CancellationToken.None);
            Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Accepted));
        }

        var files = Directory.GetFiles(_dir).Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Count.EqualTo(3).And.All.EndsWith(".eml"));
        var loaded = files.Select(f => MimeMessage.Load(f)).ToList();
        Assert.That(loaded.Select(m => m.TextBody!.Trim()), Is.EquivalentTo(new[] { "000000", "100000", "200000" }));
        Assert.That(File.ReadAllText(files[0]), Does.Contain("\r\n").And.Contain("Message-Id:").IgnoreCase);
    }

    [Test]
    public async Task Concurrent_writes_leave_no_partial_or_temp_files()
    {
        var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => provider.SendAsync(Message(i.ToString("D6")), CancellationToken.None)));

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Accepted));
        var files = Directory.GetFiles(_dir);
        Assert.That(files, Has.Length.EqualTo(20).And.None.Contains(".tmp"));
        Assert.That(files.Select(f => MimeMessage.Load(f).TextBody!.Trim()).Distinct().Count(), Is.EqualTo(20));
    }

    [Test]
    public async Task Unwritable_directory_is_a_transient_failure()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_dir)!);
        File.WriteAllText(_dir, "a file where the directory should be");
        var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System);

        var result = await provider.SendAsync(Message("1"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Transient));
        Assert.That(result.Error, Does.Contain(_dir));
        File.Delete(_dir);
        Directory.CreateDirectory(_dir);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Concurrent_sends_all_end_as_complete_eml_files_and_no_temp_file_is_left(bool syncWholeFileSystem)
    {
        if (syncWholeFileSystem && !OperatingSystem.IsLinux())
        {
            Assert.Ignore("syncfs is Linux only");
        }

        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System, Durability(syncWholeFileSystem));

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => provider.SendAsync(Message(i.ToString("D6")), CancellationToken.None))));

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Accepted));
        var files = Directory.GetFiles(_dir);
        Assert.That(files, Has.Length.EqualTo(300).And.All.EndsWith(".eml"));
        Assert.That(files.Select(Path.GetFileName), Has.None.StartsWith("."));
        Assert.That(files.Select(f => MimeMessage.Load(f).TextBody!.Trim()), Is.EquivalentTo(Enumerable.Range(0, 300).Select(i => i.ToString("D6"))));
        Assert.That(results.Select(r => r.Reply!["written ".Length..]), Is.EquivalentTo(files.Select(Path.GetFileName)));
    }

    [Test]
    public async Task Mails_that_arrive_during_a_flush_share_the_next_one()
    {
        using var durability = new ScriptedDurability(Durability(OperatingSystem.IsLinux())) { HoldFirstFlush = true };
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System, durability);

        var results = await SendInTwoBatches(provider, durability);

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Accepted));
        Assert.That(durability.BatchSizes, Is.EqualTo(new[] { 1, 9 }));
        Assert.That(durability.DirectoryFlushes, Is.EqualTo(2), "one directory fsync per batch");
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(10).And.All.EndsWith(".eml"));
    }

    [Test]
    public async Task A_failing_flush_fails_every_mail_of_the_batch_and_shows_none_of_them()
    {
        using var durability = new ScriptedDurability(Durability(OperatingSystem.IsLinux()))
        {
            HoldFirstFlush = true,
            FailFiles = new IOException("Input/output error"),
        };
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System, durability);

        var results = await SendInTwoBatches(provider, durability);

        Assert.That(durability.BatchSizes, Is.EqualTo(new[] { 1, 9 }));
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Transient));
        Assert.That(results.Select(r => r.Error), Is.All.Contains("Input/output error").And.All.Contains(_dir));
        Assert.That(Directory.GetFiles(_dir), Is.Empty, "no .eml and no temp file left");
    }

    [Test]
    public async Task A_directory_that_vanishes_before_the_rename_fails_every_mail_of_the_batch()
    {
        using var durability = new ScriptedDurability(Durability(OperatingSystem.IsLinux()))
        {
            HoldFirstFlush = true,
            BeforeFlush = () =>
            {
                if (Directory.Exists(_dir))
                {
                    Directory.Delete(_dir, recursive: true);
                }
            },
        };
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System, durability);

        var results = await SendInTwoBatches(provider, durability);

        Assert.That(durability.BatchSizes, Is.EqualTo(new[] { 1, 9 }));
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(ProviderSendOutcome.Transient));
        Assert.That(Directory.Exists(_dir), Is.False, "no file was renamed into a re-created directory");
    }

    [Test]
    public async Task A_failing_directory_flush_takes_the_renamed_mails_back_and_fails_them()
    {
        using var durability = new ScriptedDurability(Durability(OperatingSystem.IsLinux())) { FailDirectory = new IOException("Input/output error") };
        using var provider = new PickupDirectoryEmailProvider("outbox", _dir, TimeProvider.System, durability);

        var result = await provider.SendAsync(Message("000000"), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(ProviderSendOutcome.Transient));
        Assert.That(result.Error, Does.Contain("Input/output error"));
        Assert.That(Directory.GetFiles(_dir), Is.Empty, "the name might not survive a power loss, so the next provider sends the mail");
    }

    private static IPickupDurability Durability(bool syncWholeFileSystem) =>
        syncWholeFileSystem && OperatingSystem.IsLinux() ? new SyncfsPickupDurability() : new PerFilePickupDurability();

    // One mail in a held first batch, nine gathering behind it, then the flusher is let go.
    private static async Task<ProviderSendResult[]> SendInTwoBatches(PickupDirectoryEmailProvider provider, ScriptedDurability durability)
    {
        var first = provider.SendAsync(Message("000000"), CancellationToken.None);
        Assert.That(durability.FirstFlushStarted.Wait(TimeSpan.FromSeconds(30)), Is.True);
        var rest = Enumerable.Range(1, 9).Select(i => provider.SendAsync(Message(i.ToString("D6")), CancellationToken.None)).ToList();
        Assert.That(rest.Prepend(first).Select(t => t.IsCompleted), Is.All.False, "nothing is accepted before its batch is durable");
        durability.Release();
        return await Task.WhenAll(rest.Prepend(first));
    }

    internal static MimeMessage Message(string otp)
    {
        var message = new MimeMessage { Subject = "Your OTP", Body = new TextPart("plain") { Text = otp } };
        message.From.Add(MailboxAddress.Parse("otp@example.com"));
        message.To.Add(MailboxAddress.Parse("alice@example.com"));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.com");
        message.Date = DateTimeOffset.UtcNow;
        return message;
    }
}
