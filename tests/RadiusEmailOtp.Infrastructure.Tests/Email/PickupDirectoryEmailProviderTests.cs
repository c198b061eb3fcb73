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
