using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using RadiusEmailOtp.Metrics;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Radius.Dictionary;

namespace RadiusEmailOtp.Server;

/// <summary>
/// <c>serve --debug</c> / <c>-X</c>: every packet received and sent, with its attributes by dictionary name, the way
/// <c>radiusd -X</c> prints them. Secrets never appear: User-Password, CHAP-Password, Tunnel-Password, every attribute the
/// dictionary marks <c>encrypt=</c> or <c>secret</c>, Message-Authenticator, and State (it is the key to someone's open
/// challenge, and a log reader is not the user) all print as <c>&lt;hidden&gt;</c>. Costs nothing unless debug lines are on.
/// </summary>
internal sealed class PacketTracer(RadiusDictionary? dictionary, ILogger logger)
{
    public const string Hidden = "<hidden>";

    public bool Enabled => logger.IsEnabled(LogLevel.Debug);

    public void Received(RadiusPacket packet, IPEndPoint source, IPEndPoint local)
    {
        if (Enabled)
        {
            ServerLog.PacketTrace(logger, Describe("Received", packet, source, local));
        }
    }

    public void Sent(ReadOnlySpan<byte> reply, IPEndPoint local, IPEndPoint destination)
    {
        if (!Enabled)
        {
            return;
        }

        if (RadiusPacketReader.TryRead(reply, 0, out var packet) == RadiusDropReason.None)
        {
            ServerLog.PacketTrace(logger, Describe("Sent", packet!, local, destination));
        }
    }

    /// <summary>"Received Access-Request Id 7 from 127.0.0.1:40000 to 127.0.0.1:1812 length 60", then one tab-indented line per attribute.</summary>
    internal string Describe(string verb, RadiusPacket packet, IPEndPoint from, IPEndPoint to)
    {
        var builder = new StringBuilder(256);
        builder.Append(CultureInfo.InvariantCulture, $"{verb} {PacketNames.Of(packet.Code)} Id {packet.Identifier} from {Format(from)} to {Format(to)} length {packet.Length}");
        foreach (var attribute in packet.Attributes)
        {
            var (name, value) = AttributeText.Decode(dictionary, attribute, out var known);
            if (IsSecret(attribute.Type, known))
            {
                value = Hidden;
            }

            builder.Append("\n\t").Append(name).Append(" = ").Append(value);
        }

        return builder.ToString();
    }

    private static bool IsSecret(byte type, DictionaryAttribute? known) =>
        type is RadiusAttributeType.UserPassword or RadiusAttributeType.ChapPassword or RadiusAttributeType.State or RadiusAttributeType.MessageAuthenticator or RadiusAttributeType.TunnelPassword
        || (known is not null && (known.Encrypt != 0 || known.Flags.HasFlag(DictionaryAttributeFlags.Secret)));

    private static string Format(IPEndPoint endPoint) =>
        endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port}"
            : $"{endPoint.Address}:{endPoint.Port}";
}
