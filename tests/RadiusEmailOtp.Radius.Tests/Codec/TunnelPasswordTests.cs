using System.Text;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>Tunnel-Password encryption (RFC 2868 §3.5).</summary>
public sealed class TunnelPasswordTests
{
    private static readonly byte[] s_authenticator = Datagrams.Authenticator(0x10);

    [Test]
    public void Password_round_trips_with_its_tag()
    {
        var value = TunnelPassword.Encrypt("vlan-secret"u8, 1, Datagrams.Secret, s_authenticator, 0x1234);

        var ok = TunnelPassword.TryDecrypt(value, Datagrams.Secret, s_authenticator, out var tag, out var password);

        Assert.That(ok, Is.True);
        Assert.That(tag, Is.EqualTo(1));
        Assert.That(Encoding.ASCII.GetString(password), Is.EqualTo("vlan-secret"));
    }

    [Test]
    public void Value_is_tag_then_salt_with_high_bit_then_whole_blocks()
    {
        var value = TunnelPassword.Encrypt("0123456789abcde"u8, 0, Datagrams.Secret, s_authenticator, 0x1234);

        // A length octet plus 15 octets fills exactly one block.
        Assert.That(value, Has.Length.EqualTo(3 + 16));
        Assert.That(value[0], Is.EqualTo(0));
        Assert.That((value[1] << 8) | value[2], Is.EqualTo(0x9234));
    }

    [Test]
    public void First_block_is_md5_of_secret_authenticator_and_salt_over_the_length_octet()
    {
        var value = TunnelPassword.Encrypt([], 2, Datagrams.Secret, s_authenticator, 0x8001);

        // RFC 2868 §3.5: b(1) = MD5(S + R + A); the plain text is a zero length octet and 15 NULs.
        var b1 = System.Security.Cryptography.MD5.HashData(Datagrams.Concat(Datagrams.Secret, s_authenticator, [0x80, 0x01]));
        Assert.That(value.AsSpan(3).ToArray(), Is.EqualTo(b1));
    }

    [Test]
    public void Every_length_round_trips_and_fits_one_attribute()
    {
        for (var length = 0; length <= TunnelPassword.MaxLength; length++)
        {
            var password = Enumerable.Range(0, length).Select(i => (byte)(i + 1)).ToArray();
            var value = TunnelPassword.Encrypt(password, 3, Datagrams.Secret, s_authenticator, (ushort)length);

            Assert.That(value.Length, Is.LessThanOrEqualTo(253));
            Assert.That(TunnelPassword.TryDecrypt(value, Datagrams.Secret, s_authenticator, out _, out var back), Is.True);
            Assert.That(back, Is.EqualTo(password), $"length {length}");
        }
    }

    [Test]
    public void Too_long_password_or_tag_is_rejected()
    {
        Assert.That(() => TunnelPassword.Encrypt(new byte[240], 0, Datagrams.Secret, s_authenticator, 1), Throws.ArgumentException);
        Assert.That(() => TunnelPassword.Encrypt([], 0x20, Datagrams.Secret, s_authenticator, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(0)]
    [TestCase(18)]
    [TestCase(20)]
    public void Malformed_value_is_refused(int length)
    {
        Assert.That(TunnelPassword.TryDecrypt(new byte[length], Datagrams.Secret, s_authenticator, out _, out _), Is.False);
    }

    [Test]
    public void Length_octet_that_does_not_fit_is_refused()
    {
        var value = TunnelPassword.Encrypt("abc"u8, 1, Datagrams.Secret, s_authenticator, 7);

        // Flipping the first encrypted octet flips the decrypted length octet: 3 becomes 0x83, past the 15 available.
        value[3] ^= 0x80;

        Assert.That(TunnelPassword.TryDecrypt(value, Datagrams.Secret, s_authenticator, out _, out _), Is.False);
    }

    [Test]
    public void Tunnel_password_survives_a_reply_round_trip()
    {
        var requestAuthenticator = Datagrams.Authenticator(0x77);
        var reply = new RadiusPacketBuilder(RadiusCode.AccessAccept, 4)
            .AddUInt32(RadiusAttributeType.TunnelType, 13)
            .Add(RadiusAttributeType.TunnelPassword, TunnelPassword.Encrypt("s3cret"u8, 0, Datagrams.Secret, requestAuthenticator, 0xBEEF))
            .BuildReply(requestAuthenticator, Datagrams.Secret, withMessageAuthenticator: true);
        var packet = Datagrams.Read(reply);

        var ok = TunnelPassword.TryDecrypt(
            packet.Find(RadiusAttributeType.TunnelPassword)!.Value.Value.Span, Datagrams.Secret, requestAuthenticator, out _, out var password);

        Assert.That(ok, Is.True);
        Assert.That(Encoding.ASCII.GetString(password), Is.EqualTo("s3cret"));
    }
}
