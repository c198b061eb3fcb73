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

    /// <summary>
    /// The User-Password decoded with the client's secret, or null when absent or malformed. <paramref name="notText"/>
    /// is set when it decodes to something no keyboard types (invalid UTF-8, control characters): the NAS almost surely
    /// hid it with another shared secret, so it is no one's wrong password. A random decode passes this check with a
    /// chance of about (95/256)^16 for a 16-octet password, one in ten million.
    /// </summary>
    public string? DecodePassword(out bool notText)
    {
        notText = false;
        var hidden = Packet.Find(RadiusAttributeType.UserPassword);
        if (hidden is null || !UserPassword.TryUnhide(hidden.Value.Value.Span, Client.Settings.Secret, Packet.Authenticator.Span, out var password))
        {
            return null;
        }

        if (!System.Text.Unicode.Utf8.IsValid(password))
        {
            notText = true;
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(password);
        if (text.Any(char.IsControl))
        {
            notText = true;
            return null;
        }

        return text;
    }
}
