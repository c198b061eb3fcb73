using System.Text;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>User-Password hiding (RFC 2865 §5.2).</summary>
public sealed class UserPasswordTests
{
    private static readonly byte[] s_authenticator = Datagrams.Authenticator(0x42);

    private static byte[] Unhide(byte[] hidden)
    {
        Assert.That(UserPassword.TryUnhide(hidden, Datagrams.Secret, s_authenticator, out var password), Is.True);
        return password;
    }

    [Test]
    public void Sixteen_character_password_hides_to_sixteen_octets()
    {
        var hidden = UserPassword.Hide("0123456789abcdef"u8, Datagrams.Secret, s_authenticator);

        Assert.That(hidden, Has.Length.EqualTo(16));
        Assert.That(Encoding.ASCII.GetString(Unhide(hidden)), Is.EqualTo("0123456789abcdef"));
    }

    [Test]
    public void Seventeen_character_password_hides_to_thirty_two_octets()
    {
        Assert.That(UserPassword.Hide(new byte[17], Datagrams.Secret, s_authenticator), Has.Length.EqualTo(32));
    }

    [Test]
    public void Empty_password_hides_to_sixteen_nuls()
    {
        var hidden = UserPassword.Hide([], Datagrams.Secret, s_authenticator);

        // b1 = MD5(secret | RA) and p1 is all NULs, so c1 is b1 itself (RFC 2865 §5.2).
        var b1 = System.Security.Cryptography.MD5.HashData(Datagrams.Concat(Datagrams.Secret, s_authenticator));
        Assert.That(hidden, Is.EqualTo(b1));
        Assert.That(Unhide(hidden), Is.Empty);
    }

    [Test]
    public void One_hundred_and_twenty_eight_octets_is_the_maximum()
    {
        var password = Enumerable.Range(1, 128).Select(i => (byte)i).ToArray();

        var hidden = UserPassword.Hide(password, Datagrams.Secret, s_authenticator);

        Assert.That(hidden, Has.Length.EqualTo(128));
        Assert.That(Unhide(hidden), Is.EqualTo(password));
    }

    [Test]
    public void One_hundred_and_twenty_nine_octets_are_rejected()
    {
        Assert.That(() => UserPassword.Hide(new byte[129], Datagrams.Secret, s_authenticator), Throws.ArgumentException);
    }

    [Test]
    public void Hiding_needs_a_sixteen_octet_authenticator()
    {
        Assert.That(() => UserPassword.Hide("x"u8.ToArray(), Datagrams.Secret, new byte[15]), Throws.ArgumentException);
    }

    [TestCase(0)]
    [TestCase(15)]
    [TestCase(17)]
    [TestCase(144)]
    public void Hidden_value_of_a_bad_length_is_refused(int length)
    {
        Assert.That(UserPassword.TryUnhide(new byte[length], Datagrams.Secret, s_authenticator, out var password), Is.False);
        Assert.That(password, Is.Empty);
    }

    [Test]
    public void Only_trailing_nuls_are_stripped()
    {
        byte[] password = [0x61, 0x00, 0x62, 0x00, 0x00];

        var hidden = UserPassword.Hide(password, Datagrams.Secret, s_authenticator);

        Assert.That(Unhide(hidden), Is.EqualTo(new byte[] { 0x61, 0x00, 0x62 }));
    }

    [Test]
    public void Every_length_round_trips_across_block_boundaries()
    {
        for (var length = 0; length <= 128; length++)
        {
            var password = Enumerable.Range(0, length).Select(i => (byte)('A' + (i % 26))).ToArray();
            var hidden = UserPassword.Hide(password, Datagrams.Secret, s_authenticator);

            Assert.That(hidden, Has.Length.EqualTo(Math.Max(16, (length + 15) / 16 * 16)), $"length {length}");
            Assert.That(Unhide(hidden), Is.EqualTo(password), $"length {length}");
        }
    }

    [Test]
    public void Long_secret_beyond_the_stack_buffer_still_round_trips()
    {
        var secret = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var hidden = UserPassword.Hide("long secret"u8, secret, s_authenticator);

        Assert.That(UserPassword.TryUnhide(hidden, secret, s_authenticator, out var password), Is.True);
        Assert.That(Encoding.ASCII.GetString(password), Is.EqualTo("long secret"));
    }

    [Test]
    public void Wrong_secret_does_not_reveal_the_password()
    {
        var hidden = UserPassword.Hide("arctangent"u8, Datagrams.Secret, s_authenticator);

        UserPassword.TryUnhide(hidden, "xyzzy5462"u8, s_authenticator, out var password);

        Assert.That(Encoding.ASCII.GetString(password), Is.Not.EqualTo("arctangent"));
    }
}
