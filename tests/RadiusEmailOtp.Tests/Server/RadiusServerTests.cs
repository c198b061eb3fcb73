using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Configuration;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Server;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>The UDP server with a handler under the test's control, on a real loopback socket.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RadiusServerTests
{
    private static readonly byte[] s_secret = LoopbackRadiusServer.Secret;

    [Test]
    public async Task A_slow_handler_does_not_stall_receiving()
    {
        var handler = new GatedHandler();
        await using var server = Start(handler);
        using var slowClient = new RawRadiusClient(server.LocalEndPoints[0]);
        using var statusClient = new RawRadiusClient(server.LocalEndPoints[0]);

        // More requests stuck in the handler than there are receive loops.
        for (byte id = 0; id < 16; id++)
        {
            await slowClient.SendAsync(RawRadiusClient.AccessRequest(id, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        }

        await handler.WaitForEnteredAsync(16);
        var status = await statusClient.ExchangeAsync(new RadiusPacketBuilder(RadiusCode.StatusServer, 99).BuildRequest(RawRadiusClient.NewAuthenticator(), s_secret, true));
        Assert.That(status, Is.Not.Null, "Status-Server must be answered while 16 Access-Requests wait in the handler");

        handler.Release();
        var replies = 0;
        while (replies < 16 && await slowClient.ReceiveAsync(TimeSpan.FromSeconds(3)) is not null)
        {
            replies++;
        }

        Assert.That(replies, Is.EqualTo(16));
    }

    [Test]
    public async Task Stopping_answers_the_requests_in_progress_before_returning()
    {
        var handler = new GatedHandler();
        var server = Start(handler);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        await client.SendAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        await handler.WaitForEnteredAsync(1);

        var stopping = server.StopAsync(TimeSpan.FromSeconds(5));
        Assert.That(stopping.IsCompleted, Is.False, "stop waits for the request in progress");
        handler.Release();
        await stopping;

        Assert.That(await client.ReceiveAsync(TimeSpan.FromSeconds(2)), Is.Not.Null);
    }

    [Test]
    public async Task A_handler_that_throws_gets_no_reply_and_the_retransmit_is_processed_again()
    {
        var handler = new ThrowOnceHandler();
        await using var server = Start(handler);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        var request = RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234");
        Assert.That(await client.ExchangeAsync(request, timeoutSeconds: 0.5), Is.Null);
        Assert.That(await client.ExchangeAsync(request), Is.Not.Null);
        Assert.That(handler.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task A_handler_that_blocks_its_thread_does_not_stall_receiving()
    {
        using var gate = new ManualResetEventSlim();
        var handler = new BlockingHandler(gate);
        await using var server = Start(handler);
        using var slowClient = new RawRadiusClient(server.LocalEndPoints[0]);
        using var statusClient = new RawRadiusClient(server.LocalEndPoints[0]);
        for (byte id = 0; id < 4; id++)
        {
            await slowClient.SendAsync(RawRadiusClient.AccessRequest(id, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        }

        try
        {
            var status = await statusClient.ExchangeAsync(
                new RadiusPacketBuilder(RadiusCode.StatusServer, 99).BuildRequest(RawRadiusClient.NewAuthenticator(), s_secret, true), timeoutSeconds: 5);
            Assert.That(status, Is.Not.Null, "synchronously blocked handlers must not hold the receive loops");
        }
        finally
        {
            gate.Set();
        }
    }

    [Test]
    public async Task A_forged_packet_reusing_the_identifier_does_not_evict_the_cached_reply()
    {
        var handler = new CountingHandler();
        await using var server = Start(handler);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        var request = RawRadiusClient.AccessRequest(7, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234");
        var first = await client.ExchangeAsync(request);
        var forged = RawRadiusClient.AccessRequest(7, RawRadiusClient.NewAuthenticator(), "not-the-secret", "alice", "1234");
        Assert.That(await client.ExchangeAsync(forged, timeoutSeconds: 0.5), Is.Null);

        var retransmit = await client.ExchangeAsync(request);

        Assert.That(retransmit, Is.EqualTo(first));
        Assert.That(handler.Calls, Is.EqualTo(1), "the retransmit is answered from the cache, not processed again");
    }

    [Test]
    public async Task Stopping_does_not_cancel_a_handler_that_honours_its_token()
    {
        var handler = new TokenHonouringHandler();
        var server = Start(handler);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        await client.SendAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234"));
        await handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var stopping = server.StopAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        handler.Release.TrySetResult();
        await stopping;

        Assert.That(await client.ReceiveAsync(TimeSpan.FromSeconds(2)), Is.Not.Null);
        Assert.That(handler.WasCancelled, Is.False);
    }

    [Test]
    public async Task With_limit_proxy_state_auto_a_nas_cannot_later_be_fed_proxy_state_without_message_authenticator()
    {
        await using var server = Start(new CountingHandler(), BlastRadiusPolicy.No);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        var plain = await client.ExchangeAsync(RawRadiusClient.AccessRequest(1, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false));
        var injected = await client.ExchangeAsync(
            RawRadiusClient.AccessRequest(2, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false, more: b => b.Add(RadiusAttributeType.ProxyState, "x"u8)),
            timeoutSeconds: 0.5);
        var signed = await client.ExchangeAsync(
            RawRadiusClient.AccessRequest(3, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: true, more: b => b.Add(RadiusAttributeType.ProxyState, "x"u8)));

        Assert.That(plain, Is.Not.Null);
        Assert.That(injected, Is.Null);
        Assert.That(signed, Is.Not.Null, "with a Message-Authenticator, Proxy-State is fine");
    }

    [Test]
    public async Task With_require_message_authenticator_auto_a_first_eap_request_does_not_decide_and_the_next_pap_request_without_it_decides_not_required()
    {
        await using var server = Start(new CountingHandler(), BlastRadiusPolicy.Auto);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        var eap = await client.ExchangeAsync(EapRequest(1));
        var unsigned = await client.ExchangeAsync(RawRadiusClient.AccessRequest(2, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false), timeoutSeconds: 1);
        var unsignedAgain = await client.ExchangeAsync(RawRadiusClient.AccessRequest(3, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false), timeoutSeconds: 1);

        Assert.That(eap, Is.Not.Null, "an EAP request carries Message-Authenticator and is processed");
        Assert.That(unsigned, Is.Not.Null, "the EAP request must not have decided \"required\"");
        Assert.That(unsignedAgain, Is.Not.Null, "the first PAP request decided \"not required\"");
    }

    [Test]
    public async Task With_require_message_authenticator_auto_a_first_eap_request_does_not_decide_and_the_next_signed_pap_request_decides_required()
    {
        await using var server = Start(new CountingHandler(), BlastRadiusPolicy.Auto);
        using var client = new RawRadiusClient(server.LocalEndPoints[0]);
        var eap = await client.ExchangeAsync(EapRequest(1));
        var signed = await client.ExchangeAsync(RawRadiusClient.AccessRequest(2, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: true));
        var unsigned = await client.ExchangeAsync(RawRadiusClient.AccessRequest(3, RawRadiusClient.NewAuthenticator(), "testing123", "alice", "1234", withMa: false), timeoutSeconds: 0.5);

        Assert.That(eap, Is.Not.Null);
        Assert.That(signed, Is.Not.Null);
        Assert.That(unsigned, Is.Null, "the signed PAP request decided \"required\"");
    }

    private static byte[] EapRequest(byte id) =>
        new RadiusPacketBuilder(RadiusCode.AccessRequest, id)
            .AddString(RadiusAttributeType.UserName, "alice")
            .Add(RadiusAttributeType.EapMessage, [2, id, 0, 10, 1, (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'e'])
            .BuildRequest(RawRadiusClient.NewAuthenticator(), s_secret, true);

    private static RadiusServer Start(IAccessRequestHandler handler, BlastRadiusPolicy requireMa = BlastRadiusPolicy.Yes) =>
        LoopbackRadiusServer.Start(handler, requireMa: requireMa);

    private sealed class GatedHandler : IAccessRequestHandler
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _entered;

        public async Task WaitForEnteredAsync(int count)
        {
            for (var i = 0; i < 300 && Volatile.Read(ref _entered) < count; i++)
            {
                await Task.Delay(10);
            }

            Assert.That(Volatile.Read(ref _entered), Is.EqualTo(count));
        }

        public void Release() => _gate.TrySetResult();

        public async Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _entered);
            await _gate.Task;
            return RadiusResponse.Reject();
        }
    }

    private sealed class BlockingHandler(ManualResetEventSlim gate) : IAccessRequestHandler
    {
        public Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken)
        {
            // Like a synchronous database call under a busy timeout: the thread itself is held.
            gate.Wait(TimeSpan.FromSeconds(10));
            return Task.FromResult<RadiusResponse?>(RadiusResponse.Reject());
        }
    }

    private sealed class TokenHonouringHandler : IAccessRequestHandler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool WasCancelled { get; private set; }

        public async Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            try
            {
                await Release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                WasCancelled = true;
                throw;
            }

            return RadiusResponse.Reject();
        }
    }

    private sealed class ThrowOnceHandler : IAccessRequestHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<RadiusResponse?> HandleAsync(RadiusRequestContext request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("first call fails")
                : Task.FromResult<RadiusResponse?>(RadiusResponse.Reject());
    }
}
