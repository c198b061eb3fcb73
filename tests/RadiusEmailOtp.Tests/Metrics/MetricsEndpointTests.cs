using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Metrics;

/// <summary>
/// <c>[metrics] listen</c> against the running server: the counters move after a real login (PIN → challenge → OTP →
/// accept), the exposition passes <c>promtool check metrics</c>, and <c>/healthz</c> answers.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class MetricsEndpointTests
{
    private const string Pin = "pin-9k2w";

    private const string WithMetrics = TestServer.DefaultClients + """


        [metrics]
        listen = "127.0.0.1:0"
        """;

    [Test]
    public async Task Counters_move_after_a_login_and_the_scrape_passes_promtool()
    {
        await using var server = await TestServer.StartAsync(WithMetrics);
        await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", Pin);
        using var nas = new NasClient(server, "testing123");

        var challenge = await nas.LoginAsync("alice", Pin);
        Assert.That(challenge.Code, Is.EqualTo(RadiusCode.AccessChallenge));
        var otp = await server.Outbox.WaitForOtpAsync(1);
        var before = await ScrapeAsync(server);
        Assert.That(Sample(before, "otp_open_challenges"), Is.EqualTo(1), before);

        var accept = await nas.LoginAsync("alice", otp, NasClient.State(challenge));
        Assert.That(accept.Code, Is.EqualTo(RadiusCode.AccessAccept));
        var reject = await nas.LoginAsync("alice", "wrong");
        Assert.That(reject.Code, Is.EqualTo(RadiusCode.AccessReject));

        var text = await ScrapeAsync(server);
        Assert.That(Sample(text, "radius_requests_total{code=\"Access-Request\",client=\"localhost\"}"), Is.EqualTo(3), text);
        Assert.That(Sample(text, "radius_replies_total{code=\"Access-Challenge\"}"), Is.EqualTo(1), text);
        Assert.That(Sample(text, "radius_replies_total{code=\"Access-Accept\"}"), Is.EqualTo(1), text);
        Assert.That(Sample(text, "radius_replies_total{code=\"Access-Reject\"}"), Is.EqualTo(1), text);
        Assert.That(Sample(text, "radius_reply_duration_seconds_count"), Is.EqualTo(3), text);
        Assert.That(Sample(text, "radius_reply_duration_seconds_bucket{le=\"+Inf\"}"), Is.EqualTo(3), text);
        Assert.That(Sample(text, "otp_mails_total{provider=\"outbox\",result=\"accepted\"}"), Is.EqualTo(1), text);
        Assert.That(Sample(text, "otp_mail_duration_seconds_count{provider=\"outbox\"}"), Is.EqualTo(1), text);
        Assert.That(Sample(text, "radius_duplicates_total"), Is.Zero, text);
        Assert.That(text, Does.Contain("# TYPE radius_reply_duration_seconds histogram"));
        Assert.That(text, Does.Contain("# TYPE otp_open_challenges gauge"));
        Assert.That(text, Does.Not.Contain(Pin).And.Not.Contain(otp));

        var (exit, output) = await Promtool.CheckMetricsAsync(text);
        Assert.That(exit, Is.Zero, output + "\n" + text);
    }

    [Test]
    public async Task Dropped_packets_are_counted_by_reason()
    {
        await using var server = await TestServer.StartAsync(WithMetrics);
        using var client = new RawRadiusClient(server.EndPoint);
        // A wrong shared secret looks like a bad Message-Authenticator; a 10-byte datagram is malformed.
        await client.ExchangeAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "not-the-secret", "alice", "1234"), 0.3);
        await client.ExchangeAsync(new byte[10], 0.3);

        var text = await ScrapeAsync(server);
        Assert.That(Sample(text, "radius_dropped_total{reason=\"bad_authenticator\"}"), Is.EqualTo(1), text);
        Assert.That(Sample(text, "radius_dropped_total{reason=\"malformed\"}"), Is.EqualTo(1), text);
    }

    [Test]
    public async Task Healthz_answers_200_while_serving_and_other_paths_and_methods_are_refused()
    {
        await using var server = await TestServer.StartAsync(WithMetrics);
        var endPoint = server.Host.MetricsEndPoint!;

        var health = await HttpGet.SendAsync(endPoint, "/healthz");
        Assert.That((health.Status, health.Body), Is.EqualTo((200, "ok\n")));
        var metrics = await HttpGet.SendAsync(endPoint, "/metrics?x=1");
        Assert.That(metrics.Headers, Does.Contain("Content-Type: text/plain; version=0.0.4"));
        Assert.That((await HttpGet.SendAsync(endPoint, "/")).Status, Is.EqualTo(404));
        var post = await HttpGet.SendAsync(endPoint, "/metrics", "POST");
        Assert.That(post.Status, Is.EqualTo(405));
        Assert.That(post.Headers, Does.Contain("Allow: GET"));
    }

    [Test]
    public async Task Healthz_answers_503_once_the_server_stops_listening()
    {
        await using var server = await TestServer.StartAsync(WithMetrics);
        var endPoint = server.Host.MetricsEndPoint!;
        var stopping = server.Host.StopAsync(TimeSpan.FromSeconds(5));

        // Stopping closes the RADIUS sockets first; until the endpoint closes too, /healthz must not say "ok".
        try
        {
            var health = await HttpGet.SendAsync(endPoint, "/healthz");
            Assert.That(health.Status, Is.EqualTo(503));
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            // Already closed: refusing the connection is the other correct answer.
        }

        await stopping;
    }

    [Test]
    public async Task Without_a_metrics_table_nothing_listens()
    {
        await using var server = await TestServer.StartAsync();
        Assert.That(server.Host.MetricsEndPoint, Is.Null);
    }

    private static async Task<string> ScrapeAsync(TestServer server)
    {
        var (status, _, body) = await HttpGet.SendAsync(server.Host.MetricsEndPoint!, "/metrics");
        Assert.That(status, Is.EqualTo(200));
        return body;
    }

    /// <summary>The value of the sample line that starts with <paramref name="series"/> (name and labels exactly).</summary>
    private static double Sample(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"no sample {series} in:\n{exposition}");
        return double.NaN;
    }
}
