using System.Text;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Otp.Tests.Tokens;

public sealed class HotpTests
{
    // RFC 4226 Appendix D: secret "12345678901234567890", SHA-1, 6 digits, counters 0..9.
    [TestCase(0, "755224")]
    [TestCase(1, "287082")]
    [TestCase(9, "520489")]
    public void Sha1_matches_the_rfc_4226_test_vectors(long counter, string expected)
    {
        Assert.That(Hotp.Compute(Encoding.ASCII.GetBytes("12345678901234567890"), OtpHashAlgorithm.Sha1, 6, counter), Is.EqualTo(expected));
    }

    [Test]
    public void A_pin_verifies_only_against_its_own_hash_and_the_seed_only_under_its_serial()
    {
        var protector = new TokenProtector(new byte[32]);
        var token = TokenFactory.Create(protector, CryptoRandomSource.Instance, "a", "r", "a@r.org", "1234", OtpHashAlgorithm.Sha1, 6, 10, "", DateTimeOffset.UnixEpoch);

        Assert.That(protector.VerifyPin(token, "1234"), Is.True);
        Assert.That(protector.VerifyPin(token, "1235"), Is.False);
        Assert.That(protector.OpenSeed(token), Has.Length.EqualTo(20));
        Assert.That(() => protector.OpenSeed(token with { Serial = "LSEM00000000" }), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
        Assert.That(() => new TokenProtector(new byte[32].Select(_ => (byte)1).ToArray()).OpenSeed(token), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
    }
}
