using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Server;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>
/// max_request_time shedding, over a real loopback socket: one handler slot held by a gated handler makes requests
/// wait, and a fake clock makes them old without the test waiting.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OverloadTests
{
    [Test]
    public async Task A_request_that_waited_past_max_request_time_is_dropped_unhandled_counted_and_logged()
    {
        await using var scene = await OneRunningOneWaitingAsync();

        scene.Time.Advance(TimeSpan.FromSeconds(6));

        Assert.That(scene.Server.Counters.Shed, Is.EqualTo(1));
        Assert.That(scene.Server.Waiting, Is.Zero);
        Assert.That(scene.Log.Text, Does.Contain("Server overloaded: dropping request (2) from client localhost unanswered after 6000 ms: it was still waiting for a handler (max_request_time = 5 s)"));
        scene.Handler.Gate.SetResult();
        var reply = await scene.Client.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.That(reply![1], Is.EqualTo(1), "the request that held the slot is answered");
        Assert.That(scene.Handler.Handled, Is.EqualTo(new[] { "alice" }), "the shed request never reached the handler");
        Assert.That(scene.Server.Counters.Rejects, Is.EqualTo(1));
    }

    [Test]
    public async Task A_retransmit_of_a_shed_request_is_processed_afresh()
    {
        await using var scene = await OneRunningOneWaitingAsync();
        scene.Time.Advance(TimeSpan.FromSeconds(6));
        scene.Handler.Gate.SetResult();
        Assert.That(await scene.Client.ReceiveAsync(TimeSpan.FromSeconds(5)), Is.Not.Null);

        var retransmit = await scene.Client.ExchangeAsync(scene.Waiting, timeoutSeconds: 5);

        Assert.That(retransmit, Is.Not.Null, "the shed request's duplicate-cache claim was forgotten");
        Assert.That(retransmit![1], Is.EqualTo(2));
        Assert.That(scene.Handler.Handled, Is.EqualTo(new[] { "alice", "bob" }));
        Assert.That(scene.Server.Counters.Duplicates, Is.Zero, "the retransmit was a new request, not a duplicate");
    }

    [Test]
    public async Task A_request_arriving_behind_a_queue_too_old_to_be_answered_in_time_is_refused_without_waiting()
    {
        await using var scene = await OneRunningOneWaitingAsync();
        scene.Time.Advance(TimeSpan.FromSeconds(3));

        await scene.Client.SendAsync(RawRadiusClient.AccessRequest(3, RawRadiusClient.NewAuthenticator(), "testing123", "carol", "1234"));
        await WaitUntilAsync(() => scene.Server.Counters.Shed == 1);

        Assert.That(scene.Server.Waiting, Is.EqualTo(1), "the late arrival was not queued");
        Assert.That(scene.Log.Text, Does.Contain("refused on arrival, as the oldest waiting request has waited 3000 ms already"));
        scene.Handler.Gate.SetResult();
        var replies = new[] { await scene.Client.ReceiveAsync(TimeSpan.FromSeconds(5)), await scene.Client.ReceiveAsync(TimeSpan.FromSeconds(5)) };
        Assert.That(replies.Select(r => r?[1]), Is.EquivalentTo(new byte?[] { 1, 2 }), "the request that waited 3 s of 5 is still answered");
        Assert.That(scene.Handler.Handled, Is.EqualTo(new[] { "alice", "bob" }));
    }

    [Test]
    public async Task A_handler_that_answers_nothing_is_counted_as_shed_and_its_retransmit_is_processed()
    {
        var handler = new NoAnswerOnceHandler();
        var log = new CapturingLoggerProvider();
        await using var server = Start(handler, TimeProvider.System, log);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        var request = RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234");
        await client.SendAsync(request);
        await WaitUntilAsync(() => server.Counters.Shed == 1);

        var retransmit = await client.ExchangeAsync(request, timeoutSeconds: 5);

        Assert.That(retransmit, Is.Not.Null);
        Assert.That(handler.Calls, Is.EqualTo(2));
        Assert.That(server.Counters.Rejects, Is.EqualTo(1), "only the retransmit was answered");
        Assert.That(log.Text, Does.Contain("its time ran out before it sent a mail"));
    }

    [Test]
    public async Task A_request_sitting_out_reject_delay_holds_no_handler_slot()
    {
        var time = new FakeTimeProvider();
        var handler = new CountingHandler();
        await using var server = Start(handler, time, rejectDelay: TimeSpan.FromSeconds(1));
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);

        await client.SendAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        await client.SendAsync(RawRadiusClient.AccessRequest(2, RawRadiusClient.NewAuthenticator(), "testing123", "bob", "1234"));
        await WaitUntilAsync(() => handler.Calls == 2);
        Assert.That(server.Counters.Rejects, Is.Zero, "both rejects still wait out reject_delay");

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(await client.ReceiveAsync(TimeSpan.FromSeconds(5)), Is.Not.Null);
        Assert.That(await client.ReceiveAsync(TimeSpan.FromSeconds(5)), Is.Not.Null);
    }

    private static RadiusServer Start(IAccessRequestHandler handler, TimeProvider time, CapturingLoggerProvider? log = null, TimeSpan rejectDelay = default) =>
        LoopbackRadiusServer.Start(
            handler,
            LoopbackRadiusServer.DefaultOptions with { RejectDelay = rejectDelay, MaxRunningHandlers = 1 },
            time,
            (log ?? new CapturingLoggerProvider()).CreateLogger("radiusd"));

    /// <summary>One handler slot, held by alice's request (Id 1) until the gate opens; bob's (Id 2) waits behind it.</summary>
    private static async Task<Scene> OneRunningOneWaitingAsync()
    {
        var time = new FakeTimeProvider();
        var handler = new RecordingHandler();
        var log = new CapturingLoggerProvider();
        var server = Start(handler, time, log);
        var client = new RawRadiusClient(server.LocalEndPoints[0]);
        var waiting = RawRadiusClient.AccessRequest(2, RawRadiusClient.NewAuthenticator(), "testing123", "bob", "1234");
        await client.SendAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        await WaitUntilAsync(() => handler.Handled.Count == 1);
        await client.SendAsync(waiting);
        await WaitUntilAsync(() => server.Waiting == 1);
        return new Scene(time, handler, log, server, client, waiting);
    }

    // Polls for something another thread does next (a datagram being received); fails rather than hangs.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True, "timed out waiting for the server");
    }

    private sealed class RecordingHandler : IAccessRequestHandler
    {
        private readonly List<string> _handled = [];

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<string> Handled
        {
            get
            {
                lock (_handled)
                {
                    return [.. _handled];
                }
            }
        }

        public async Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken)
        {
            lock (_handled)
            {
                _handled.Add(request.Packet.GetString(RadiusAttributeType.UserName) ?? "?");
            }

            await Gate.Task;
            return RadiusResponse.Reject();
        }
    }

    private sealed record Scene(
        FakeTimeProvider Time, RecordingHandler Handler, CapturingLoggerProvider Log, RadiusServer Server, RawRadiusClient Client, byte[] Waiting)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Handler.Gate.TrySetResult();
            Client.Dispose();
            await Server.DisposeAsync();
        }
    }

    private sealed class NoAnswerOnceHandler : IAccessRequestHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken) =>
            Task.FromResult(Interlocked.Increment(ref _calls) == 1 ? null : RadiusResponse.Reject());
    }
}
