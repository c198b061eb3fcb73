using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>
/// The path of one datagram: client lookup, codec checks, duplicate detection, BlastRADIUS checks, then the handler.
/// <see cref="Process"/> runs on a receive loop and never waits: handlers run as tasks of their own.
/// </summary>
internal sealed class RequestProcessor
{
    private readonly ServerOptions _options;
    private readonly ClientRegistry _clients;
    private readonly DuplicateCache _duplicates;
    private readonly IAccessRequestHandler _handler;
    private readonly ServerCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _logLimiter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abortHandlers = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _requestNumber;
    private int _inFlight;

    public RequestProcessor(
        ServerOptions options,
        ClientRegistry clients,
        IAccessRequestHandler handler,
        ServerCounters counters,
        TimeProvider time,
        ILogger logger)
    {
        _options = options;
        _clients = clients;
        _handler = handler;
        _counters = counters;
        _time = time;
        _logger = logger;
        _duplicates = new DuplicateCache(time, options.CleanupDelay);
        _logLimiter = new LogRateLimiter(time, TimeSpan.FromSeconds(1));
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    public DuplicateCache Duplicates => _duplicates;

    public void Process(ReadOnlySpan<byte> datagram, IPEndPoint source, IReplySink sink)
    {
        _counters.CountReceived();
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var client = _clients.Find(address);
        if (client is null)
        {
            _counters.CountDrop("unknown client");
            // One key for all unknown sources: spoofed addresses must not buy one log line each.
            if (_logLimiter.ShouldLog("unknown client", out var suppressed))
            {
                ServerLog.UnknownClient(_logger, sink.LocalEndPoint.Address, sink.LocalEndPoint.Port, address, source.Port, suppressed);
            }

            return;
        }

        var status = RadiusPacketReader.TryRead(datagram, _options.MaxAttributes, out var packet);
        if (status != RadiusDropReason.None)
        {
            Drop(client, source, status.ToString());
            return;
        }

        if (packet!.Code is not (RadiusCode.AccessRequest or RadiusCode.StatusServer))
        {
            Drop(client, source, $"{packet.Code} is not valid on the auth port");
            return;
        }

        // Authenticate before the duplicate cache: a forged packet reusing an Identifier must not evict a cached reply.
        if (!PassesAuthenticatorChecks(packet, client, address, source))
        {
            return;
        }

        switch (_duplicates.Check(source, sink.LocalEndPoint, packet.Identifier, packet.Authenticator.Span, out var claim, out var cachedReply))
        {
            case DuplicateCache.Verdict.InProgress:
                _counters.CountDuplicate();
                ServerLog.Duplicate(_logger, packet.Identifier, client.Name, source.Port, "still processing, ignored");
                return;
            case DuplicateCache.Verdict.Replied:
                _counters.CountDuplicate();
                ServerLog.Duplicate(_logger, packet.Identifier, client.Name, source.Port, "resending the cached reply");
                sink.Send(cachedReply, source);
                return;
        }

        var number = Interlocked.Increment(ref _requestNumber);
        var request = new RadiusRequestContext(number, packet, client, source);
        if (packet.Code == RadiusCode.StatusServer)
        {
            // RFC 5997 §3: a Status-Server on the auth port is answered with Access-Accept.
            _counters.CountStatusServer();
            Reply(request, new RadiusResponse(RadiusCode.AccessAccept), claim, sink);
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > _options.MaxInFlight || _stopping.IsCancellationRequested)
        {
            ReleaseSlot();
            _duplicates.Forget(claim);
            _counters.CountDrop("server busy");
            if (_logLimiter.ShouldLog("busy", out var suppressed))
            {
                ServerLog.Busy(_logger, _options.MaxInFlight, client.Name, suppressed);
            }

            return;
        }

        _ = HandleAsync(request, claim, _time.GetTimestamp(), sink);
    }

    /// <summary>
    /// Stops taking new requests and waits (bounded) for those in progress to be answered. Handlers keep their token
    /// until the timeout: cancelling them at once would turn answerable requests into silence.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        await _stopping.CancelAsync();
        if (InFlight > 0)
        {
            await _drained.Task.WaitAsync(timeout, _time).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        await _abortHandlers.CancelAsync();
    }

    private bool PassesAuthenticatorChecks(RadiusPacket packet, RuntimeClient client, IPAddress address, IPEndPoint source)
    {
        var hasMa = packet.Has(RadiusAttributeType.MessageAuthenticator);
        if (hasMa && !MessageAuthenticator.VerifyRequest(packet, client.Settings.Secret))
        {
            // RFC 3579 §3.2: silently discard; a wrong shared secret looks exactly like this.
            Drop(client, source, "invalid Message-Authenticator (is the shared secret right?)");
            return false;
        }

        if (packet.Code == RadiusCode.StatusServer)
        {
            if (!hasMa)
            {
                Drop(client, source, "Status-Server without Message-Authenticator (RFC 5997 §3)");
            }

            return hasMa;
        }

        var required = client.RequiresMessageAuthenticator(address, hasMa, out var learnedNow);
        if (learnedNow)
        {
            if (hasMa)
            {
                ServerLog.LearnedMessageAuthenticatorRequired(_logger, client.Name, address);
            }
            else
            {
                ServerLog.LearnedMessageAuthenticatorNotRequired(_logger, client.Name, address);
            }
        }

        if (required && !hasMa)
        {
            Drop(client, source, "Access-Request without Message-Authenticator; require_message_authenticator = yes (BlastRADIUS)");
            return false;
        }

        var hasProxyState = packet.Has(RadiusAttributeType.ProxyState);
        if (client.LimitsProxyState(address, hasProxyState) && hasProxyState && !hasMa)
        {
            Drop(client, source, "Proxy-State without Message-Authenticator; limit_proxy_state = yes (BlastRADIUS)");
            return false;
        }

        return true;
    }

    private async Task HandleAsync(RadiusRequestContext request, DuplicateCache.Claim claim, long arrived, IReplySink sink)
    {
        // Leave the receive loop before any handler code runs: a handler that blocks synchronously (SQLite does
        // its I/O synchronously) must cost a pool thread, never a receive loop.
        await Task.Yield();
        try
        {
            RadiusResponse response;
            try
            {
                response = await _handler.HandleAsync(request, _abortHandlers.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ServerLog.HandlerFailed(_logger, ex, request.Number, request.Client.Name);
                _duplicates.Forget(claim);
                return;
            }

            if (response.Code == RadiusCode.AccessReject && _options.RejectDelay > TimeSpan.Zero)
            {
                // reject_delay slows password guessing without holding up anyone else: only this task waits.
                // A stopping server sends at once rather than make the NAS wait for nothing.
                var remaining = _options.RejectDelay - _time.GetElapsedTime(arrived);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, _time, _stopping.Token).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }
            }

            Reply(request, response, claim, sink);
        }
        finally
        {
            ReleaseSlot();
        }
    }

    private void Reply(RadiusRequestContext request, RadiusResponse response, DuplicateCache.Claim claim, IReplySink sink)
    {
        byte[] reply;
        try
        {
            reply = ReplyEncoder.Encode(response, request.Packet, request.Client.Settings.Secret);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // E.g. a request stuffed with Proxy-States whose echo would pass 4096 octets: drop it like bad input.
            _duplicates.Forget(claim);
            Drop(request.Client, request.Source, "the reply would not fit in a RADIUS packet");
            return;
        }

        _duplicates.Complete(claim, reply);
        if (request.Packet.Code == RadiusCode.AccessRequest)
        {
            _counters.CountReply(response.Code);
        }

        sink.Send(reply, request.Source);
        ServerLog.Sent(_logger, request.Number, response.Code.ToString(), request.Packet.Identifier, request.Source.Address, request.Source.Port, reply.Length);
    }

    private void Drop(RuntimeClient client, IPEndPoint source, string reason)
    {
        _counters.CountDrop(reason);
        if (_logLimiter.ShouldLog(client.Name + reason, out var suppressed))
        {
            ServerLog.Dropped(_logger, client.Name, source.Address, source.Port, reason, suppressed);
        }
    }

    private void ReleaseSlot()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }
}
