using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Server;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.Server;

/// <summary>The handler decides whether an Accept fits from <see cref="ReplyEncoder.MeasureLength"/>; it must agree with the encoder.</summary>
[TestFixture]
public sealed class ReplyEncoderLengthTests
{
    [TestCase(0, "", 0)]
    [TestCase(3, "Welcome", 0)]
    [TestCase(10, "", 2)]
    [TestCase(1, "a long message that is split over two Reply-Messages", 1)]
    public void Measured_length_is_the_encoded_length(int attributes, string message, int proxyStates)
    {
        var response = new RadiusResponse(RadiusCode.AccessAccept);
        for (var i = 0; i < attributes; i++)
        {
            response.Attributes.Add(new RadiusAttribute(RadiusAttributeType.Class, new byte[200]));
        }

        if (message.Length > 0)
        {
            response.ReplyMessages.Add(message.Contains("split", StringComparison.Ordinal) ? message + new string('é', 200) : message);
        }

        var request = RawRadiusClient.AccessRequest(7, RawRadiusClient.NewAuthenticator(), "secret", "alice", "pw", more: b =>
        {
            for (var i = 0; i < proxyStates; i++)
            {
                b.Add(RadiusAttributeType.ProxyState, [1, 2, 3]);
            }
        });
        Assert.That(RadiusPacketReader.TryRead(request, 200, out var packet), Is.EqualTo(RadiusDropReason.None));

        var encoded = ReplyEncoder.Encode(response, packet!, "secret"u8.ToArray()).Length;
        var measured = ReplyEncoder.MeasureLength(response, packet!);

        Assert.That(measured, Is.EqualTo(encoded));
    }
}
