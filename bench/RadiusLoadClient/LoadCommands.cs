using System.Collections.Concurrent;
using System.Globalization;

namespace RadiusLoadClient;

/// <summary>The RADIUS modes: pin, otp, pap (closed loop) and storm (open loop).</summary>
internal static class LoadCommands
{
    public static async Task<int> PinAsync(LoadOptions options)
    {
        var users = UserSet.From(options, "pin{0}");
        var stateFile = options.Optional("state-file");
        var mailDir = options.Optional("mail-dir");
        var (mailQuiet, mailLimit) = MailWait(options);
        var label = options.String("label", "PIN -> Access-Challenge");
        var result = options.Optional("result");
        var warmup = options.Int("warmup", 0, 0, 10_000_000);
        var serverPid = ServerPid(options);
        using var transport = CreateTransport(options, out var parallel);
        options.EnsureAllUsed();
        await WarmUpAsync(transport, warmup, parallel);

        var states = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var measurement = await ClosedLoopRunner.RunAsync(transport, users.PasswordRequests(), parallel, (spec, reply) =>
        {
            if (reply.Outcome == ReplyOutcome.Challenge && reply.State is { } state)
            {
                states[spec.User] = state;
            }
        }, serverPid);
        Console.Out.WriteLine(measurement.Line(label));
        if (stateFile is not null)
        {
            StateFile.Write(stateFile, states);
        }

        var extra = new List<(string, string)>();
        if (mailDir is not null)
        {
            extra.AddRange(await ReportMailsAsync(mailDir, users.Names(), mailQuiet, mailLimit));
        }

        ReportStray(transport, measurement);
        measurement.WriteResult(result, extra);
        return 0;
    }

    public static async Task<int> OtpAsync(LoadOptions options)
    {
        var users = UserSet.From(options, "unused");
        var states = StateFile.Read(options.Required("state-file"));
        var mails = new MailDirectory(options.Required("mail-dir"));
        var label = options.String("label", "OTP + State -> Access-Accept");
        var result = options.Optional("result");
        var warmup = options.Int("warmup", 0, 0, 10_000_000);
        var serverPid = ServerPid(options);
        using var transport = CreateTransport(options, out var parallel);
        options.EnsureAllUsed();
        await WarmUpAsync(transport, warmup, parallel);

        mails.Scan();
        var requests = new List<RequestSpec>();
        int noState = 0, noMail = 0;
        foreach (var number in users.Numbers)
        {
            var user = users.Name(number);
            if (!states.TryGetValue(user, out var state))
            {
                noState++;
                continue;
            }

            if (!mails.Codes.TryGetValue(user, out var codes))
            {
                noMail++;
                continue;
            }

            // The newest mail holds the code of the newest challenge, which this State names.
            requests.Add(new RequestSpec(user, System.Text.Encoding.ASCII.GetBytes(codes[^1]), state));
        }

        var measurement = await ClosedLoopRunner.RunAsync(transport, requests, parallel, null, serverPid);
        Console.Out.WriteLine(measurement.Line(label));
        if (noState > 0 || noMail > 0 || mails.Unreadable > 0)
        {
            Console.Out.WriteLine($"  not sent: {noState} users without a State from the pin step, {noMail} without a mail; {mails.Unreadable} mails without address or code");
        }

        ReportStray(transport, measurement);
        measurement.WriteResult(result, [("no_state", noState.ToString(CultureInfo.InvariantCulture)), ("no_mail", noMail.ToString(CultureInfo.InvariantCulture))]);
        return 0;
    }

    public static async Task<int> PapAsync(LoadOptions options)
    {
        var users = UserSet.From(options, "secret{0}");
        var repeat = options.Int("repeat", 1, 1, 1000);
        var warmup = options.Int("warmup", 0, 0, 10_000_000);
        var label = options.String("label", "PAP -> Access-Accept");
        var result = options.Optional("result");
        var serverPid = ServerPid(options);
        using var transport = CreateTransport(options, out var parallel);
        options.EnsureAllUsed();

        var once = users.PasswordRequests();
        if (warmup > 0)
        {
            // JIT and tiered compilation of this client, and the server's caches, before anything is timed.
            await ClosedLoopRunner.RunAsync(transport, Enumerable.Range(0, warmup).Select(i => once[i % once.Count]).ToList(), parallel, null);
        }

        var requests = Enumerable.Range(0, repeat).SelectMany(_ => once).ToList();
        var measurement = await ClosedLoopRunner.RunAsync(transport, requests, parallel, null, serverPid);
        Console.Out.WriteLine(measurement.Line(label));
        ReportStray(transport, measurement);
        measurement.WriteResult(result);
        return 0;
    }

    public static async Task<int> StormAsync(LoadOptions options)
    {
        var users = UserSet.From(options, "pin{0}");
        var rate = options.Double("rate", 1000, 1, 1_000_000);
        var window = options.Double("window", 30, 0.1, 600);
        var mailDir = options.Optional("mail-dir");
        var (mailQuiet, mailLimit) = MailWait(options);
        var label = options.String("label", "storm");
        var result = options.Optional("result");
        var server = options.EndPoint("server", "127.0.0.1:1812");
        var secret = options.String("secret", "testing123");
        var sockets = options.Int("sockets", 8, 1, 256);
        var warmup = options.Int("warmup", 0, 0, 10_000_000);
        var serverPid = ServerPid(options);
        options.EnsureAllUsed();

        // 256 sockets hold 65,536 requests in flight: more than a 30 s window at 1,000/s can ever need.
        using var transport = new RadiusTransport(server, secret, TimeSpan.FromSeconds(window), sockets, maxSockets: 256);
        await WarmUpAsync(transport, warmup, 64);
        var challenged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var storm = await StormRunner.RunAsync(transport, users.PasswordRequests(), rate, (spec, reply) =>
        {
            if (reply.Outcome == ReplyOutcome.Challenge)
            {
                challenged[spec.User] = true;
            }
        }, serverPid);
        var answered = storm.Answered;
        var stats = answered.Stats;
        var p = stats.PercentilesMs(0.50, 0.95, 0.99, 1.0);
        var offered = users.Count / storm.SendElapsed.TotalSeconds;
        Console.Out.WriteLine(
            $"{label}: {users.Count} PINs of distinct users offered at {rate:F0}/s (sent at {offered:F0} requests/s over {storm.SendElapsed.TotalSeconds:F2} s, "
            + $"worst lag behind schedule {storm.MaxSendLag.TotalMilliseconds:F1} ms, {transport.SocketCount} sockets)");
        Console.Out.WriteLine(
            $"  answered within {window:F0} s: {stats.Answered} ({stats.Describe()}); answered {answered.RequestsPerSecond:F0} requests/s until the last reply at "
            + $"{answered.Elapsed.TotalSeconds:F2} s; reply p50 {StepStats.Ms(p[0])} ms, p95 {StepStats.Ms(p[1])} ms, p99 {StepStats.Ms(p[2])} ms (max {StepStats.Ms(p[3])}); "
            + $"client CPU {answered.ClientCpuMicrosecondsPerRequest:F0} µs/request ({answered.ClientCores * 100:F0}% of a core)"
            + (answered.ServerCpu is { } serverCpu ? $", server CPU {serverCpu.TotalMicroseconds / users.Count:F0} µs/request ({serverCpu.TotalSeconds / answered.Elapsed.TotalSeconds * 100:F0}% of a core)" : string.Empty));
        var extra = new List<(string, string)>
        {
            ("offered_rps", offered.ToString("F1", CultureInfo.InvariantCulture)),
        };
        if (mailDir is not null)
        {
            extra.AddRange(await ReportMailsAsync(mailDir, users.Names(), mailQuiet, mailLimit, challenged.Keys.ToHashSet(StringComparer.Ordinal)));
        }

        ReportStray(transport, answered);
        answered.WriteResult(result, extra);
        return 0;
    }

    /// <summary>Status-Server round trips before a step: this client's code is compiled and its sockets are warm when timing starts.</summary>
    private static async Task WarmUpAsync(RadiusTransport transport, int count, int parallel)
    {
        if (count == 0)
        {
            return;
        }

        var warm = await ClosedLoopRunner.RunAsync(transport, Enumerable.Repeat(RequestSpec.Status, count).ToList(), parallel, null);
        if (warm.Stats.Count(ReplyOutcome.Accept) < count)
        {
            Console.Out.WriteLine($"  warm-up: {warm.Stats.Describe()} for {count} Status-Server requests");
        }
    }

    private static int? ServerPid(LoadOptions options) => options.Optional("server-pid") is null ? null : options.Int("server-pid", 0, 1, int.MaxValue);

    private static RadiusTransport CreateTransport(LoadOptions options, out int parallel)
    {
        var server = options.EndPoint("server", "127.0.0.1:1812");
        var secret = options.String("secret", "testing123");
        parallel = options.Int("parallel", 64, 1, 65_536);
        var timeout = options.Double("timeout", 5, 0.1, 600);
        var sockets = options.Int("sockets", Math.Clamp((parallel + 63) / 64, 2, 1024), 1, 1024);
        return new RadiusTransport(server, secret, TimeSpan.FromSeconds(timeout), sockets, maxSockets: Math.Max(sockets, (parallel + 127) / 128));
    }

    private static (TimeSpan Quiet, TimeSpan Limit) MailWait(LoadOptions options) =>
        (TimeSpan.FromSeconds(options.Double("mail-quiet", 5, 0.1, 600)), TimeSpan.FromSeconds(options.Double("mail-wait", 30, 0, 3600)));

    /// <summary>
    /// Waits for the mails (for the challenged users when given, else for all) and prints mails, duplicates and users
    /// without one; with <paramref name="challenged"/>, also how many users saw a prompt but got no mail.
    /// </summary>
    private static async Task<List<(string, string)>> ReportMailsAsync(
        string mailDir, HashSet<string> users, TimeSpan quiet, TimeSpan limit, HashSet<string>? challenged = null)
    {
        var mails = new MailDirectory(mailDir);
        var waited = await mails.WaitForAsync(challenged ?? users, quiet, limit, CancellationToken.None);
        var (count, duplicates, without) = mails.Count(users);
        Console.Out.WriteLine(
            $"  mails: {count} written for {users.Count} users (one each expected), {duplicates} duplicates, {without} users without a mail"
            + $"{(mails.Unreadable > 0 ? $", {mails.Unreadable} unreadable" : string.Empty)} (checked {waited:F1} s after the last reply)");
        var result = new List<(string, string)>
        {
            ("mails", count.ToString(CultureInfo.InvariantCulture)),
            ("duplicates", duplicates.ToString(CultureInfo.InvariantCulture)),
            ("without_mail", without.ToString(CultureInfo.InvariantCulture)),
        };
        if (challenged is not null)
        {
            var (_, _, challengedWithout) = mails.Count(challenged);
            Console.Out.WriteLine($"  of the {challenged.Count} users who got an Access-Challenge, {challengedWithout} have no mail");
            result.Add(("challenged_without_mail", challengedWithout.ToString(CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private static void ReportStray(RadiusTransport transport, StepMeasurement measurement)
    {
        if (transport.Stray > 0)
        {
            Console.Out.WriteLine($"  {transport.Stray} stray replies (late after the timeout, duplicated, or failing verification)");
        }

        if (measurement.Stats.MessageAuthenticatorNotFirst > 0)
        {
            Console.Out.WriteLine($"  {measurement.Stats.MessageAuthenticatorNotFirst} replies without Message-Authenticator as their first attribute");
        }
    }
}
