// Mail throughput of the e-mail providers, for bench/mail.sh. A measurement, not a test: it prints mails/s, CPU per
// mail and latency percentiles; nothing asserts a time.
//
//   MailBench pickup DIR MAILS CONCURRENCY [VARIANT]   pre-composed mails into a PickupDirectoryEmailProvider;
//                                                      VARIANT syncfs (Linux's default: one syncfs per batch) or
//                                                      perfile (an fsync per file, 16 at once, as elsewhere)
//   MailBench sender DIR MAILS CONCURRENCY [TEMPLATE]  compose + pickup through EmailServices (TEMPLATE: a .eml file)
//   MailBench compose MAILS [TEMPLATE]                 the composer alone, one thread; then compose + serialise
//   MailBench smtp MAILS CONCURRENCY POOL_SIZE [MAX_MESSAGES_PER_SESSION]
//                                                      pre-composed mails over SMTP to an in-process loopback sink
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MailBench;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Otp.Email;

// Untimed mails before each figure: the first thousands otherwise pay for JIT and tiered compilation.
const int WarmUp = 2000;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MailBench pickup DIR MAILS CONC [syncfs|perfile] | sender DIR MAILS CONC [TEMPLATE] | compose MAILS [TEMPLATE] | smtp MAILS CONC POOL_SIZE [MAX_MESSAGES_PER_SESSION]");
    return 2;
}

static int Arg(string[] args, int index) => int.Parse(args[index], CultureInfo.InvariantCulture);

static MimeMessage Message(int i)
{
    var message = new MimeMessage { Subject = "Your OTP", Body = new TextPart("plain") { Text = $"Your one-time password is {i:D6}\r\nIt is valid for 300 seconds.\r\n" } };
    message.From.Add(MailboxAddress.Parse("otp@example.com"));
    message.To.Add(MailboxAddress.Parse($"user{i}@example.com"));
    message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.com");
    message.Date = DateTimeOffset.UtcNow;
    message.Prepare(EncodingConstraint.SevenBit);
    return message;
}

static OtpMailRequest Request(int i) =>
    new($"EM{i:D6}", $"user{i}", "example.com", $"user{i}@example.com", (i % 1_000_000).ToString("D6", CultureInfo.InvariantCulture), TimeSpan.FromSeconds(300), IPAddress.Loopback);

static EmailServices Services(string dir, string? template)
{
    var root = template is null ? "." : Path.GetDirectoryName(Path.GetFullPath(template))!;
    var settings = new EmailProviderSettings(
        "outbox", EmailProviderKind.PickupDirectory, true, ProviderTimeout.Default, "otp@example.com", "Your OTP",
        template is null ? null : "file://" + Path.GetFileName(template), null, dir, 1);
    return EmailServices.Create([settings], [], new EmailSettings(root), NullLoggerFactory.Instance, TimeProvider.System);
}

// Runs WarmUp sends untimed first (indices mails..mails+WarmUp-1), so JIT and tiered compilation stay out of the figure.
static async Task<int> WarmUpAndRun(string label, int mails, int concurrency, Func<int, Task<bool>> send)
{
    await Run("(warm-up)", WarmUp, concurrency, i => send(mails + i), print: false);
    return await Run(label, mails, concurrency, send);
}

// Runs MAILS sends with CONCURRENCY in flight; prints one line.
static async Task<int> Run(string label, int mails, int concurrency, Func<int, Task<bool>> send, bool print = true)
{
    var latencies = new double[mails];
    var next = -1;
    var failed = 0;
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < mails)
        {
            var started = Stopwatch.GetTimestamp();
            if (!await send(i))
            {
                Interlocked.Increment(ref failed);
            }

            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    })));
    var elapsed = watch.Elapsed;
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    Array.Sort(latencies);
    if (!print)
    {
        return 0;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label}: {mails / elapsed.TotalSeconds:F0} mails/s ({mails} mails, {concurrency} in flight, {failed} failed, {elapsed.TotalSeconds:F2} s, "
        + $"CPU {cpu.TotalMicroseconds / mails:F0} µs/mail, p50 {latencies[mails / 2]:F1} ms, p99 {latencies[(int)(mails * 0.99)]:F1} ms)"));
    return failed == 0 ? 0 : 1;
}

switch (args[0])
{
    case "pickup":
    {
        var (dir, mails, concurrency) = (args[1], Arg(args, 2), Arg(args, 3));
        var messages = Enumerable.Range(0, mails + WarmUp).Select(Message).ToArray();
        using var provider = (args.Length > 4 ? args[4] : null) switch
        {
            null or "syncfs" => new PickupDirectoryEmailProvider("outbox", dir, TimeProvider.System),
            "perfile" => new PickupDirectoryEmailProvider("outbox", dir, TimeProvider.System, new PerFilePickupDurability()),
            var other => throw new ArgumentException($"unknown pickup variant {other}"),
        };
        return await WarmUpAndRun(args.Length > 4 ? $"pickup ({args[4]})" : "pickup", mails, concurrency, async i => (await provider.SendAsync(messages[i], CancellationToken.None)).Accepted);
    }

    case "sender":
    {
        var (dir, mails, concurrency) = (args[1], Arg(args, 2), Arg(args, 3));
        await using var services = Services(dir, args.Length > 4 ? args[4] : null);
        var route = new EmailRoute([]);
        return await WarmUpAndRun("compose+pickup", mails, concurrency, async i => (await services.Sender.SendAsync(Request(i), route, CancellationToken.None)).Accepted);
    }

    case "compose":
    {
        // The composer alone, one thread, then the same mails serialised as a provider writes them (CRLF).
        var mails = Arg(args, 1);
        MailTemplate? template = null;
        if (args.Length > 2 && !MailTemplateLoader.TryLoad("file://" + Path.GetFileName(args[2]), Path.GetDirectoryName(Path.GetFullPath(args[2]))!, out template, out var error))
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        var mail = new MailSettings("otp@example.com", "Your OTP");
        var route = new EmailRoute([]);
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        var sink = new MemoryStream();
        for (var i = 0; i < 5000; i++)
        {
            OtpMailComposer.Compose(Request(i), route, mail, template, DateTimeOffset.UtcNow).WriteTo(options, sink);
            sink.SetLength(0);
        }

        for (var round = 0; round < 2; round++)
        {
            // The first round still runs partly unoptimised code (tiered compilation); the second is the figure.
            await Run(round == 0 ? "compose (warm-up)" : "compose", mails, 1, i =>
            {
                _ = OtpMailComposer.Compose(Request(i), route, mail, template, DateTimeOffset.UtcNow);
                return Task.FromResult(true);
            });
        }

        await Run("compose", mails, 1, i =>
        {
            _ = OtpMailComposer.Compose(Request(i), route, mail, template, DateTimeOffset.UtcNow);
            return Task.FromResult(true);
        });
        return await Run("compose+serialise", mails, 1, i =>
        {
            OtpMailComposer.Compose(Request(i), route, mail, template, DateTimeOffset.UtcNow).WriteTo(options, sink);
            sink.SetLength(0);
            return Task.FromResult(true);
        });
    }

    case "smtp":
    {
        var (mails, concurrency, pool) = (Arg(args, 1), Arg(args, 2), Arg(args, 3));
        var perSession = args.Length > 4 ? Arg(args, 4) : SmtpProviderSettings.DefaultMaxMessagesPerSession;
        var sink = new SmtpSink(0);
        using var stop = new CancellationTokenSource();
        var sinking = sink.RunAsync(stop.Token);
        var messages = Enumerable.Range(0, mails + WarmUp).Select(Message).ToArray();
        var settings = new SmtpProviderSettings("127.0.0.1", sink.Port, false, false, null, null, null, null, null, true) { PoolSize = pool, MaxMessagesPerSession = perSession };
        await using (var provider = new SmtpEmailProvider("sink", settings, new ProviderTimeout(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), NullLogger.Instance))
        {
            var code = await WarmUpAndRun($"smtp POOL_SIZE={pool} MAX_MESSAGES_PER_SESSION={perSession}", mails, concurrency, async i => (await provider.SendAsync(messages[i], CancellationToken.None)).Accepted);
            Console.WriteLine($"  sink: {sink.Messages} messages (warm-up included) over {sink.Connections} connections; {sink.PipelinedReads} reads carried MAIL FROM and RCPT TO together");
            await stop.CancelAsync();
            return code;
        }
    }

    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
