using System.Net;
using RadiusEmailOtp.Radius;

namespace RadiusEmailOtp.Server;

/// <summary>An Access-Request that passed every protocol check, with the client it came from.</summary>
internal sealed class RadiusRequestContext
{
    public RadiusRequestContext(long number, RadiusPacket packet, RuntimeClient client, IPEndPoint source, DateTimeOffset answerBy)
    {
        Number = number;
        Packet = packet;
        Client = client;
        Source = source;
        AnswerBy = answerBy;
    }

    /// <summary>The request number shown in log lines, as FreeRADIUS's "(42)".</summary>
    public long Number { get; }

    public RadiusPacket Packet { get; }

    public RuntimeClient Client { get; }

    public IPEndPoint Source { get; }

    /// <summary>Arrival plus max_request_time: an answer after this comes too late for the NAS, so no mail may start after it.</summary>
    public DateTimeOffset AnswerBy { get; }

    /// <summary>The User-Password decoded with the client's secret, or null when absent or malformed.</summary>
    public string? DecodePassword()
    {
        var hidden = Packet.Find(RadiusAttributeType.UserPassword);
        if (hidden is null || !UserPassword.TryUnhide(hidden.Value.Value.Span, Client.Settings.Secret, Packet.Authenticator.Span, out var password))
        {
            return null;
        }

        return System.Text.Encoding.UTF8.GetString(password);
    }
}
