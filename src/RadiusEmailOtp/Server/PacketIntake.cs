using System.Net;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>
/// The first steps of every datagram, on an auth or an acct port alike: the client lookup (unknown sources dropped and
/// logged under one rate-limit key, so spoofed addresses cannot buy a log line each), the codec's checks and the
/// port's packet codes. Whatever fails is dropped silently, counted and logged rate-limited, as FreeRADIUS does.
/// </summary>
internal sealed class PacketIntake(
    ClientRegistry clients, ServerCounters counters, LogRateLimiter logLimiter, ILogger logger, int maxAttributes, bool accounting, PacketTracer? tracer = null)
{
    private readonly string _portName = accounting ? "acct" : "auth";
    private readonly RadiusCode _request = accounting ? RadiusCode.AccountingRequest : RadiusCode.AccessRequest;

    /// <summary>The packet and its known client, or false when the datagram was dropped.</summary>
    public bool TryAccept(
        ReadOnlySpan<byte> datagram, IPEndPoint source, IReplySink sink, out RuntimeClient client, out IPAddress address, out RadiusPacket packet)
    {
        counters.CountReceived();
        address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        client = clients.Find(address)!;
        packet = null!;
        if (client is null)
        {
            counters.CountDrop("unknown client", accounting);
            if (logLimiter.ShouldLog("unknown client", out var suppressed))
            {
                if (accounting)
                {
                    ServerLog.UnknownAcctClient(logger, sink.LocalEndPoint.Address, sink.LocalEndPoint.Port, address, source.Port, suppressed);
                }
                else
                {
                    ServerLog.UnknownClient(logger, sink.LocalEndPoint.Address, sink.LocalEndPoint.Port, address, source.Port, suppressed);
                }
            }

            return false;
        }

        var status = RadiusPacketReader.TryRead(datagram, maxAttributes, out var read);
        if (status != RadiusDropReason.None)
        {
            Drop(client, source, status.ToString());
            return false;
        }

        if (read!.Code != _request && read.Code != RadiusCode.StatusServer)
        {
            Drop(client, source, $"{read.Code} is not valid on the {_portName} port");
            return false;
        }

        packet = read;
        counters.CountRequest(read.Code, client.Name, accounting);
        tracer?.Received(read, source, sink.LocalEndPoint);
        return true;
    }

    /// <summary>
    /// Claims a new request in the duplicate cache (RFC 5080 §2.2.2). A retransmit is not new: while its first copy is
    /// processed it is ignored, afterwards it gets the cached reply bytes again.
    /// </summary>
    public bool TryClaim(
        DuplicateCache duplicates, RadiusPacket packet, RuntimeClient client, IPEndPoint source, IReplySink sink, out DuplicateCache.Claim claim)
    {
        switch (duplicates.Check(source, sink.LocalEndPoint, packet.Identifier, packet.Authenticator.Span, out claim, out var cachedReply))
        {
            case DuplicateCache.Verdict.InProgress:
                counters.CountDuplicate(accounting);
                ServerLog.Duplicate(logger, packet.Identifier, client.Name, source.Port, "still processing, ignored");
                return false;
            case DuplicateCache.Verdict.Replied:
                counters.CountDuplicate(accounting);
                ServerLog.Duplicate(logger, packet.Identifier, client.Name, source.Port, "resending the cached reply");
                tracer?.Sent(cachedReply, sink.LocalEndPoint, source);
                sink.Send(cachedReply, source);
                return false;
            default:
                return true;
        }
    }

    public void Drop(RuntimeClient client, IPEndPoint source, string reason)
    {
        counters.CountDrop(reason, accounting);
        if (logLimiter.ShouldLog(client.Name + reason, out var suppressed))
        {
            ServerLog.Dropped(logger, client.Name, source.Address, source.Port, reason, suppressed);
        }
    }
}
