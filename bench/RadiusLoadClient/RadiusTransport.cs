using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RadiusEmailOtp.Radius;

namespace RadiusLoadClient;

/// <summary>
/// Sends Access-Requests (Message-Authenticator first, User-Password hidden, optional State) over several connected UDP
/// sockets and pairs replies by socket and Identifier. A reply counts only when its Response Authenticator (and its
/// Message-Authenticator, when present) verifies against the request. One timeout, no retransmits: a request without a
/// verified reply by then is unanswered. Sockets are added on demand (up to a cap) when every Identifier is in flight.
/// </summary>
internal sealed class RadiusTransport : IDisposable
{
    // RFC 2865 §3: a 20-octet header with a 16-octet authenticator; at most 4096 octets.
    private const int HeaderLength = 20;
    private const int AuthenticatorLength = 16;
    private const int MaxPacketLength = 4096;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomOffset;

    private readonly IPEndPoint _server;
    private readonly byte[] _secret;
    private readonly long _timeoutTicks;
    private readonly int _maxSockets;
    private readonly Lock _growLock = new();
    private readonly Timer _sweeper;
    private volatile ClientSocket[] _sockets;
    private int _next;
    private long _stray;
    private volatile bool _closed;

    public RadiusTransport(IPEndPoint server, string secret, TimeSpan timeout, int sockets, int maxSockets)
    {
        _server = server;
        _secret = Encoding.UTF8.GetBytes(secret);
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _maxSockets = Math.Max(sockets, maxSockets);
        _sockets = [];
        for (var i = 0; i < sockets; i++)
        {
            AddSocket();
        }

        _sweeper = new Timer(_ => Sweep(Stopwatch.GetTimestamp()), null, 50, 50);
    }

    /// <summary>Replies that matched no request in flight or failed verification (late, duplicated or forged).</summary>
    public long Stray => Interlocked.Read(ref _stray);

    public int SocketCount => _sockets.Length;

    public Task<RequestResult> SendAsync(RequestSpec spec)
    {
        var authenticator = NextAuthenticator();
        var pending = new PendingRequest(authenticator, Stopwatch.GetTimestamp() + _timeoutTicks);
        var (socket, identifier) = Register(pending);

        RadiusPacketBuilder builder;
        if (spec.StatusServer)
        {
            // RFC 5997 §3: Status-Server carries a Message-Authenticator and nothing else is needed.
            builder = new RadiusPacketBuilder(RadiusCode.StatusServer, identifier);
        }
        else
        {
            builder = new RadiusPacketBuilder(RadiusCode.AccessRequest, identifier)
                .AddString(RadiusAttributeType.UserName, spec.User)
                .Add(RadiusAttributeType.UserPassword, UserPassword.Hide(spec.Password, _secret, authenticator));
            if (spec.State is { } state)
            {
                builder.Add(RadiusAttributeType.State, state);
            }
        }

        var packet = builder.BuildRequest(authenticator, _secret, withMessageAuthenticator: true);
        pending.SentAt = Stopwatch.GetTimestamp();
        try
        {
            socket.Socket.Send(packet, SocketFlags.None);
        }
        catch (SocketException)
        {
            // E.g. ECONNREFUSED from an earlier ICMP port-unreachable: the request stays pending and times out.
        }

        return pending.Completion.Task;
    }

    // RFC 2865 §3: the Request Authenticator is unpredictable; drawn from the CSPRNG 4 KB at a time (one call per
    // 256 requests instead of one each).
    private static byte[] NextAuthenticator()
    {
        var pool = t_random ??= new byte[4096];
        if (t_randomOffset == 0 || t_randomOffset >= pool.Length)
        {
            RandomNumberGenerator.Fill(pool);
            t_randomOffset = 0;
        }

        var authenticator = pool.AsSpan(t_randomOffset, AuthenticatorLength).ToArray();
        t_randomOffset += AuthenticatorLength;
        return authenticator;
    }

    public void Dispose()
    {
        _closed = true;
        _sweeper.Dispose();
        Sweep(long.MaxValue);
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private (ClientSocket Socket, byte Identifier) Register(PendingRequest pending)
    {
        var sockets = _sockets;
        for (var attempt = 0; attempt < sockets.Length; attempt++)
        {
            var socket = sockets[(int)((uint)Interlocked.Increment(ref _next) % (uint)sockets.Length)];
            if (socket.TryRegister(pending, out var identifier))
            {
                return (socket, identifier);
            }
        }

        lock (_growLock)
        {
            foreach (var socket in _sockets)
            {
                if (socket.TryRegister(pending, out var identifier))
                {
                    return (socket, identifier);
                }
            }

            if (_sockets.Length >= _maxSockets)
            {
                throw new InvalidOperationException($"all {_sockets.Length * 256} Identifiers of {_sockets.Length} sockets are in flight");
            }

            var added = AddSocket();
            return added.TryRegister(pending, out var id) ? (added, id) : throw new InvalidOperationException("a new socket has no free Identifier");
        }
    }

    private ClientSocket AddSocket()
    {
        var socket = new ClientSocket(_server);
        _sockets = [.. _sockets, socket];
        new Thread(() => ReceiveLoop(socket)) { IsBackground = true, Name = "radius receive" }.Start();
        return socket;
    }

    // One blocking receive thread per socket: a reply wakes exactly one thread, which verifies it and completes the
    // request; the waiting worker's continuation (its next send) runs right there. Cheaper per reply than the async
    // socket engine's hand-over from the epoll thread to the thread pool.
    private void ReceiveLoop(ClientSocket socket)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxPacketLength, pinned: true);
        while (!_closed)
        {
            int length;
            try
            {
                length = socket.Socket.Receive(buffer, SocketFlags.None);
            }
            catch (SocketException ex) when (!_closed && ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                // ICMP port unreachable reported on the connected socket: nothing listens (yet); keep receiving.
                continue;
            }
            catch (Exception ex) when (_closed && ex is SocketException or ObjectDisposedException)
            {
                // Dispose shuts the socket down, which wakes the blocked receive.
                return;
            }

            if (_closed)
            {
                return;
            }

            OnDatagram(socket, buffer.AsSpan(0, length), Stopwatch.GetTimestamp());
        }
    }

    private void OnDatagram(ClientSocket socket, ReadOnlySpan<byte> datagram, long receivedAt)
    {
        if (datagram.Length < HeaderLength)
        {
            Interlocked.Increment(ref _stray);
            return;
        }

        var identifier = datagram[1];
        var pending = socket.Peek(identifier);
        // RFC 2865 §3: the Response Authenticator proves the reply answers this request; RFC 3579 §3.2 likewise for MA.
        if (pending is null
            || !ResponseAuthenticator.Verify(datagram, pending.Authenticator, _secret)
            || RadiusPacketReader.TryRead(datagram, 0, out var packet) != RadiusDropReason.None
            || packet is null
            || (packet.Has(RadiusAttributeType.MessageAuthenticator) && !MessageAuthenticator.VerifyReply(datagram, pending.Authenticator, _secret))
            || !socket.TryRelease(identifier, pending))
        {
            Interlocked.Increment(ref _stray);
            return;
        }

        var outcome = packet.Code switch
        {
            RadiusCode.AccessAccept => ReplyOutcome.Accept,
            RadiusCode.AccessReject => ReplyOutcome.Reject,
            RadiusCode.AccessChallenge => ReplyOutcome.Challenge,
            _ => ReplyOutcome.Other,
        };
        var state = packet.Find(RadiusAttributeType.State)?.Value.ToArray();
        var maFirst = packet.Attributes.Count > 0 && packet.Attributes[0].Type == RadiusAttributeType.MessageAuthenticator;
        pending.Completion.TrySetResult(new RequestResult(outcome, receivedAt - pending.SentAt, state, maFirst));
    }

    private void Sweep(long now)
    {
        List<PendingRequest>? expired = null;
        foreach (var socket in _sockets)
        {
            expired ??= [];
            socket.TakeExpired(now, expired);
        }

        if (expired is null)
        {
            return;
        }

        foreach (var pending in expired)
        {
            pending.Completion.TrySetResult(new RequestResult(ReplyOutcome.Unanswered, 0, null, false));
        }
    }
}
