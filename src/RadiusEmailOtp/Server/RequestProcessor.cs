using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>
/// The path of one datagram: client lookup, codec checks, duplicate detection, BlastRADIUS checks, then the handler.
/// <see cref="Process"/> runs on a receive loop and never waits: handlers run as tasks of their own, at most
/// <see cref="ServerOptions.MaxRunningHandlers"/> at once; the rest wait in a <see cref="HandlerQueue{T}"/> that sheds
/// what can no longer be answered within max_request_time.
/// </summary>
internal sealed class RequestProcessor
{
    private readonly ServerOptions _options;
    private readonly PacketIntake _intake;
    private readonly DuplicateCache _duplicates;
    private readonly IAccessRequestHandler _handler;
    private readonly ServerCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _logLimiter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abortHandlers = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HandlerQueue<Pending> _queue;
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
        _handler = handler;
        _counters = counters;
        _time = time;
        _logger = logger;
        _duplicates = new DuplicateCache(time, options.CleanupDelay);
        _logLimiter = new LogRateLimiter(time, TimeSpan.FromSeconds(1));
        _intake = new PacketIntake(clients, counters, _logLimiter, logger, options.MaxAttributes, accounting: false, options.Tracer);
        _queue = new HandlerQueue<Pending>(time, options.MaxRunningHandlers, options.MaxRequestTime);
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Access-Requests waiting for a handler slot.</summary>
    public int Waiting => _queue.Waiting;

    public DuplicateCache Duplicates => _duplicates;

    public void Process(ReadOnlySpan<byte> datagram, IPEndPoint source, IReplySink sink)
    {
        // The receive loops take datagrams as they come: this is the arrival that max_request_time counts from.
        var arrived = _time.GetTimestamp();
        if (!_intake.TryAccept(datagram, source, sink, out var client, out var address, out var packet))
        {
            return;
        }

        // Authenticate before the duplicate cache: a forged packet reusing an Identifier must not evict a cached reply.
        if (!PassesAuthenticatorChecks(packet, client, address, source))
        {
            return;
        }

        if (!_intake.TryClaim(_duplicates, packet, client, source, sink, out var claim))
        {
            return;
        }

        var number = Interlocked.Increment(ref _requestNumber);
        var request = new RadiusRequestContext(number, packet, client, source, _time.GetUtcNow() + _options.MaxRequestTime);
        if (packet.Code == RadiusCode.StatusServer)
        {
            // RFC 5997 §3: a Status-Server on the auth port is answered with Access-Accept (with FreeRADIUS's statistics when asked).
            _counters.CountStatusServer();
            Reply(request, StatusServerStatistics.Answer(RadiusCode.AccessAccept, packet, _counters), claim, sink, arrived);
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > _options.MaxInFlight || _stopping.IsCancellationRequested)
        {
            ReleaseInFlight();
            _duplicates.Forget(claim);
            _counters.CountDrop("server busy");
            if (_logLimiter.ShouldLog("busy", out var suppressed))
            {
                ServerLog.Busy(_logger, _options.MaxInFlight, client.Name, suppressed);
            }

            return;
        }

        var pending = new Pending(request, claim, arrived, sink);
        switch (_queue.Enter(pending, arrived, out var oldestWait))
        {
            case HandlerQueue<Pending>.Admission.Start:
                _ = HandleAsync(pending);
                break;
            case HandlerQueue<Pending>.Admission.Refused:
                ForgetAsShed(pending, ShedAt.Arrival, TimeSpan.Zero, oldestWait);
                ReleaseInFlight();
                break;
        }
    }

    /// <summary>Periodic upkeep: expired duplicate-cache entries, and waiters past max_request_time while no slot frees.</summary>
    public void Sweep()
    {
        _duplicates.Sweep();
        List<(Pending Item, TimeSpan Waited)>? shed = null;
        _queue.Sweep(ref shed);
        ShedAll(shed);
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

        var hasEap = packet.Has(RadiusAttributeType.EapMessage);
        var required = client.RequiresMessageAuthenticator(address, hasMa, hasEap, out var learnedNow);
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

    private async Task HandleAsync(Pending pending)
    {
        // Leave the receive loop before any handler code runs: a handler that blocks synchronously (SQLite does
        // its I/O synchronously) must cost a pool thread, never a receive loop.
        await Task.Yield();
        var (request, claim, arrived, sink) = pending;
        try
        {
            var response = await RunHandlerAsync(pending).ConfigureAwait(false);
            if (response is null)
            {
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

            Reply(request, response, claim, sink, arrived);
        }
        finally
        {
            ReleaseInFlight();
        }
    }

    /// <summary>
    /// Runs the handler in its slot and passes the slot on as soon as the handler returns (reject_delay holds none).
    /// Null: nothing to send, and the duplicate-cache claim is already forgotten.
    /// </summary>
    private async Task<RadiusResponse?> RunHandlerAsync(Pending pending)
    {
        var request = pending.Request;
        try
        {
            if (_abortHandlers.IsCancellationRequested)
            {
                // Shutdown gave up waiting; a handler started now would only be cancelled.
                _duplicates.Forget(pending.Claim);
                return null;
            }

            // The thread pool's queue is a wait too: under CPU overload a request may have aged here since it got its slot.
            var waited = _time.GetElapsedTime(pending.Arrived);
            if (waited > _options.MaxRequestTime)
            {
                ForgetAsShed(pending, ShedAt.HandlerStart, waited);
                return null;
            }

            RadiusResponse? response;
            try
            {
                response = await _handler.HandleAsync(request, _abortHandlers.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ServerLog.HandlerFailed(_logger, ex, request.Number, request.Client.Name);
                _duplicates.Forget(pending.Claim);
                return null;
            }

            if (response is null)
            {
                ForgetAsShed(pending, ShedAt.InHandler, _time.GetElapsedTime(pending.Arrived));
            }

            return response;
        }
        finally
        {
            StartNext();
        }
    }

    private void StartNext()
    {
        List<(Pending Item, TimeSpan Waited)>? shed = null;
        var next = _queue.Leave(ref shed);
        ShedAll(shed);
        if (next is not null)
        {
            _ = HandleAsync(next);
        }
    }

    private void ShedAll(List<(Pending Item, TimeSpan Waited)>? shed)
    {
        if (shed is null)
        {
            return;
        }

        foreach (var (pending, waited) in shed)
        {
            ForgetAsShed(pending, ShedAt.Queue, waited);
            ReleaseInFlight();
        }
    }

    /// <summary>Drops a request unanswered for lack of time: a retransmit is processed afresh, and the drop is counted and logged rate-limited.</summary>
    private void ForgetAsShed(Pending pending, ShedAt stage, TimeSpan waited, TimeSpan oldestWait = default)
    {
        _duplicates.Forget(pending.Claim);
        _counters.CountShed();
        if (_logLimiter.ShouldLog("shed", out var suppressed))
        {
            // Composed only for the lines that are written: under overload most sheds are not.
            var why = stage switch
            {
                ShedAt.Arrival => $"refused on arrival, as the oldest waiting request has waited {(long)oldestWait.TotalMilliseconds} ms already",
                ShedAt.Queue => "it was still waiting for a handler",
                ShedAt.HandlerStart => "its handler had not started yet",
                _ => "its time ran out before it sent a mail",
            };
            ServerLog.Shed(
                _logger, pending.Request.Number, pending.Request.Client.Name, (long)waited.TotalMilliseconds, why, (int)_options.MaxRequestTime.TotalSeconds, suppressed);
        }
    }

    private void Reply(RadiusRequestContext request, RadiusResponse response, DuplicateCache.Claim claim, IReplySink sink, long arrived)
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
            _counters.RecordReplyDuration(_time.GetElapsedTime(arrived));
        }

        // Traced before it leaves, so the dump never trails the NAS's next packet.
        _options.Tracer?.Sent(reply, sink.LocalEndPoint, request.Source);
        sink.Send(reply, request.Source);
        ServerLog.Sent(_logger, request.Number, Metrics.PacketNames.Of(response.Code), request.Packet.Identifier, request.Source.Address, request.Source.Port, reply.Length);
    }

    private void Drop(RuntimeClient client, IPEndPoint source, string reason) => _intake.Drop(client, source, reason);

    private void ReleaseInFlight()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }

    private enum ShedAt
    {
        Arrival,
        Queue,
        HandlerStart,
        InHandler,
    }

    private sealed record Pending(RadiusRequestContext Request, DuplicateCache.Claim Claim, long Arrived, IReplySink Sink);
}
