using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using RadiusEmailOtp.Handlers;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Logging;
using RadiusEmailOtp.Server;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Logging;

/// <summary>The log formats and sinks: JSON with the event's fields, journald prefixes, offsets, file reopen, syslog datagrams.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LogOutputTests
{
    private static readonly DateTimeOffset s_time = new(2026, 12, 1, 14, 5, 9, 123, TimeSpan.FromHours(1));

    [Test]
    public void Json_line_carries_time_with_offset_level_message_and_the_fields_in_snake_case()
    {
        var line = Capture(new LogLineFormatter(LogFormat.Json, journald: false, forSyslog: false), logger =>
            AuthLog.LoginIncorrect(logger, 42, "locked", "alice", "vpn1", "5", ""));

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.That(root.GetProperty("time").GetString(), Is.EqualTo("2026-12-01T14:05:09.123+01:00"));
        Assert.That(root.GetProperty("level").GetString(), Is.EqualTo("info"));
        Assert.That(root.GetProperty("message").GetString(), Is.EqualTo("(42) Login incorrect (locked): [alice] (from client vpn1 port 5)"));
        Assert.That(root.GetProperty("event_id").GetInt32(), Is.EqualTo(2001));
        Assert.That(root.GetProperty("number").GetInt64(), Is.EqualTo(42));
        Assert.That(root.GetProperty("user").GetString(), Is.EqualTo("alice"));
        Assert.That(root.GetProperty("client").GetString(), Is.EqualTo("vpn1"));
        Assert.That(root.GetProperty("reason").GetString(), Is.EqualTo("locked"));
        Assert.That(root.TryGetProperty("{OriginalFormat}", out _), Is.False);
    }

    [Test]
    public void Json_turns_addresses_into_strings_and_keeps_a_field_named_like_a_reserved_key_apart()
    {
        var line = Capture(new LogLineFormatter(LogFormat.Json, false, false), logger =>
            ServerLog.UnknownClient(logger, IPAddress.Loopback, 1812, IPAddress.Parse("10.9.9.9"), 41000, ""));
        using var json = JsonDocument.Parse(line);
        Assert.That(json.RootElement.GetProperty("client_address").GetString(), Is.EqualTo("10.9.9.9"));
        Assert.That(json.RootElement.GetProperty("local_port").GetInt32(), Is.EqualTo(1812));
        Assert.That(json.RootElement.GetProperty("level").GetString(), Is.EqualTo("error"));
        Assert.That(JsonLogFormat.SnakeCase("MaxRequestTime"), Is.EqualTo("max_request_time"));
        Assert.That(JsonLogFormat.SnakeCase("IPAddress"), Is.EqualTo("ip_address"));
    }

    [TestCase(LogLevel.Error, "<3>")]
    [TestCase(LogLevel.Warning, "<4>")]
    [TestCase(LogLevel.Information, "<6>")]
    [TestCase(LogLevel.Debug, "<7>")]
    public void Journald_lines_start_with_the_syslog_priority(LogLevel level, string prefix)
    {
        var formatter = new LogLineFormatter(LogFormat.Text, journald: true, forSyslog: false);
        var line = formatter.Format(s_time, level, new EventId(1), "first\n\tsecond", null, (s, _) => s);
        Assert.That(line, Is.EqualTo($"{prefix}Tue Dec 1 14:05:09 2026 +0100 : {Kind(level)}: first\n{prefix}\tsecond"), "every line of a packet dump too");
    }

    [Test]
    public void Text_lines_name_their_offset_and_auth_events_print_as_auth()
    {
        var west = new DateTimeOffset(2026, 7, 4, 9, 0, 0, TimeSpan.FromHours(-5.5));
        Assert.That(FreeRadiusLogFormat.Format(west, LogLevel.Information, new EventId(2000), "x"), Is.EqualTo("Sat Jul 4 09:00:00 2026 -0530 : Auth: x"));
    }

    [Test]
    public void File_sink_reopens_the_path_after_logrotate_moved_the_file()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("radius.log");
        using (var sink = new FileLogSink(path))
        {
            sink.Write(LogLevel.Information, "before");
            sink.Flush();
            File.Move(path, path + ".1");
            sink.Write(LogLevel.Information, "still the old file");
            sink.Reopen();
            sink.Write(LogLevel.Information, "after");
            sink.Flush();
        }

        Assert.That(File.ReadAllLines(path + ".1"), Is.EqualTo(new[] { "before", "still the old file" }));
        Assert.That(File.ReadAllLines(path), Is.EqualTo(new[] { "after" }));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite), Is.EqualTo(UnixFileMode.None));
        }
    }

    [Test]
    public void Syslog_sink_sends_one_rfc3164_datagram_per_line_with_facility_and_severity()
    {
        using var directory = new TempDirectory();
        var socketPath = directory.Combine("log.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(socketPath));
        receiver.ReceiveTimeout = 5000;
        using (var sink = new SyslogLogSink(LogSettings.DaemonFacility, TimeProvider.System, socketPath))
        {
            sink.Write(LogLevel.Warning, "Warning: careful");
            sink.Write(LogLevel.Debug, "Debug: Received Access-Request\n\tUser-Name = \"alice\"");
        }

        var buffer = new byte[4096];
        var datagrams = Enumerable.Range(0, 3).Select(_ => Encoding.UTF8.GetString(buffer, 0, receiver.Receive(buffer))).ToList();
        Assert.That(datagrams[0], Does.Match($@"^<28>\w{{3}} [ \d]\d \d\d:\d\d:\d\d radius-email-otp\[{Environment.ProcessId}\]: Warning: careful$"));
        Assert.That(datagrams[1], Does.StartWith("<31>").And.EndWith(": Debug: Received Access-Request"));
        Assert.That(datagrams[2], Does.EndWith(": \tUser-Name = \"alice\""));
    }

    [Test]
    public void Syslog_sink_without_a_socket_drops_lines_instead_of_failing()
    {
        using var sink = new SyslogLogSink(LogSettings.DaemonFacility, TimeProvider.System, "/nonexistent/log.sock");
        Assert.DoesNotThrow(() => sink.Write(LogLevel.Error, "nobody listens"));
    }

    private static string Kind(LogLevel level) => level switch
    {
        LogLevel.Error => "Error",
        LogLevel.Warning => "Warning",
        LogLevel.Information => "Info",
        _ => "Debug",
    };

    /// <summary>Runs <paramref name="log"/> against a logger whose formatter is <paramref name="formatter"/> at a fixed time; the one line it made.</summary>
    private static string Capture(LogLineFormatter formatter, Action<ILogger> log)
    {
        var sink = new ListSink();
        using (var provider = new FreeRadiusLoggerProvider(sink, formatter, LogLevel.Trace, new FixedTime(s_time)))
        {
            log(provider.CreateLogger("test"));
        }

        return sink.Lines.Single();
    }

    private sealed class ListSink : ILogSink
    {
        public List<string> Lines { get; } = [];

        public void Write(LogLevel level, string line) => Lines.Add(line);

        public void Flush()
        {
        }

        public void Reopen()
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

        public override TimeZoneInfo LocalTimeZone { get; } = TimeZoneInfo.CreateCustomTimeZone("test", now.Offset, "test", "test");
    }
}
