using System.Diagnostics;
using NUnit.Framework;

namespace RadiusEmailOtp.Radius.Tests.Codec;

/// <summary>Feeds a million random and mutated datagrams to the reader: it never throws and its answer is always consistent.</summary>
public sealed class RadiusPacketReaderPropertyTests
{
    private const int Iterations = 1_000_000;

    private const int Seed = 2865;

    [Test]
    public void A_million_random_and_mutated_datagrams_never_throw_and_stay_consistent()
    {
        var random = new Random(Seed);
        var seeds = SeedPackets();
        var buffer = new byte[4200];
        var outcomes = new int[Enum.GetValues<RadiusDropReason>().Length];
        var stopwatch = Stopwatch.StartNew();

        for (var i = 0; i < Iterations; i++)
        {
            var length = Mutate(random, seeds, buffer);
            var datagram = buffer.AsSpan(0, length);
            var reason = RadiusPacketReader.TryRead(datagram, RadiusPacketReader.DefaultMaxAttributes, out var packet);
            outcomes[(int)reason]++;

            if (reason == RadiusDropReason.None)
            {
                AssertConsistent(datagram, packet);

                // The crypto checks take the same untrusted bytes; they must answer, not throw.
                MessageAuthenticator.VerifyRequest(packet!, Datagrams.Secret);
            }
            else if (packet is not null)
            {
                Assert.Fail($"iteration {i}: {reason} came with a packet");
            }

            if ((i & 7) == 0)
            {
                ResponseAuthenticator.Verify(datagram, Datagrams.Authenticator(0), Datagrams.Secret);
                MessageAuthenticator.VerifyReply(datagram, Datagrams.Authenticator(0), Datagrams.Secret);
                RequestAuthenticator.VerifyAccountingStyle(datagram, Datagrams.Secret);
            }
        }

        stopwatch.Stop();
        TestContext.Out.WriteLine($"{Iterations:N0} datagrams in {stopwatch.Elapsed.TotalSeconds:F2} s");
        foreach (var reason in Enum.GetValues<RadiusDropReason>())
        {
            TestContext.Out.WriteLine($"{reason,-32} {outcomes[(int)reason],9:N0}");
        }

        // The generator must reach every outcome, or the property says little.
        Assert.That(outcomes, Has.All.GreaterThan(0));
    }

    private static void AssertConsistent(ReadOnlySpan<byte> datagram, RadiusPacket? packet)
    {
        if (packet is null)
        {
            Assert.Fail("None came without a packet");
            return;
        }

        var lengthField = (datagram[2] << 8) | datagram[3];
        var raw = packet.Raw.Span;
        if (raw.Length != lengthField || !raw.SequenceEqual(datagram[..lengthField]) || !RadiusPacketReader.IsKnownCode(raw[0]))
        {
            Assert.Fail("Raw is not the first Length octets of the datagram");
        }

        var octets = 0;
        foreach (var attribute in packet.Attributes)
        {
            if (attribute.Type == 0 || attribute.Value.IsEmpty)
            {
                Assert.Fail("a kept attribute has type 0 or is empty");
            }

            octets += 2 + attribute.Value.Length;
        }

        if (octets > raw.Length - 20 || packet.Attributes.Count > RadiusPacketReader.DefaultMaxAttributes)
        {
            Assert.Fail("the attributes do not fit the packet");
        }
    }

    private static int Mutate(Random random, byte[][] seeds, byte[] buffer)
    {
        var kind = random.Next(10);
        if (kind == 0)
        {
            // Pure noise, sometimes with a plausible header.
            var length = random.Next(0, 120);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length >= 4 && random.Next(2) == 0)
            {
                buffer[0] = (byte)RadiusCode.AccessRequest;
                buffer[2] = (byte)(length >> 8);
                buffer[3] = (byte)length;
            }

            return length;
        }

        var seed = seeds[random.Next(seeds.Length)];
        seed.CopyTo(buffer, 0);
        var size = seed.Length;
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits; e++)
        {
            size = (kind % 5) switch
            {
                0 => FlipBits(random, buffer, size),
                1 => random.Next(0, size + 1),
                2 => EditLengthField(random, buffer, size),
                3 => EditAttributeLength(random, buffer, size),
                _ => EditAttributeType(random, buffer, size),
            };

            kind = random.Next(10);
        }

        if (random.Next(8) == 0 && size < buffer.Length - 16)
        {
            // A tail past Length must be ignored.
            var tail = random.Next(1, 16);
            random.NextBytes(buffer.AsSpan(size, tail));
            size += tail;
        }

        return size;
    }

    private static int FlipBits(Random random, byte[] buffer, int size)
    {
        if (size == 0)
        {
            return size;
        }

        var flips = 1 + random.Next(4);
        for (var f = 0; f < flips; f++)
        {
            buffer[random.Next(size)] ^= (byte)(1 << random.Next(8));
        }

        return size;
    }

    private static int EditLengthField(Random random, byte[] buffer, int size)
    {
        if (size < 4)
        {
            return size;
        }

        var current = (buffer[2] << 8) | buffer[3];
        var value = random.Next(4) switch
        {
            0 => random.Next(0, 0x10000),
            1 => current + random.Next(-3, 4),
            2 => size + random.Next(-2, 3),
            _ => random.Next(0, 25),
        };
        value = Math.Clamp(value, 0, 0xFFFF);
        buffer[2] = (byte)(value >> 8);
        buffer[3] = (byte)value;
        return size;
    }

    private static int EditAttributeLength(Random random, byte[] buffer, int size)
    {
        var offset = PickAttribute(random, buffer, size);
        if (offset >= 0 && offset + 1 < size)
        {
            buffer[offset + 1] = random.Next(3) switch
            {
                0 => (byte)random.Next(0, 4),
                1 => (byte)(buffer[offset + 1] + random.Next(-2, 3)),
                _ => (byte)random.Next(256),
            };
        }

        return size;
    }

    private static int EditAttributeType(Random random, byte[] buffer, int size)
    {
        var offset = PickAttribute(random, buffer, size);
        if (offset >= 0)
        {
            byte[] interesting = [0, 2, 3, 26, 33, 79, 80];
            buffer[offset] = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
        }

        return size;
    }

    /// <summary>Walks the attribute chain as far as it is sane and returns one attribute's offset, or -1.</summary>
    private static int PickAttribute(Random random, byte[] buffer, int size)
    {
        Span<int> offsets = stackalloc int[64];
        var count = 0;
        var offset = 20;
        while (offset + 1 < size && count < offsets.Length)
        {
            offsets[count++] = offset;
            if (buffer[offset + 1] < 2)
            {
                break;
            }

            offset += buffer[offset + 1];
        }

        return count == 0 ? -1 : offsets[random.Next(count)];
    }

    private static byte[][] SeedPackets()
    {
        var secret = Datagrams.Secret;
        var authenticator = Datagrams.Authenticator(9);
        var many = new RadiusPacketBuilder(RadiusCode.AccessRequest, 3);
        for (var i = 0; i < 200; i++)
        {
            many.Add(RadiusAttributeType.Class, [(byte)i]);
        }

        return
        [
            // RFC 2865 §7.1 Access-Request and RFC 5997 §6.1 Status-Server.
            Hex.Bytes("01000038 0f403f9473978057bd83d5cb98f4227a 01066e656d6f 02120dbe708d93d413ce3196e43f782a0aee 0406c0a80110 050600000003"),
            Hex.Bytes("0cda0026 8a54f4686fb394c52866e302185d0623 50125a665e2e1e8411f3e243822097c84fa3"),
            new RadiusPacketBuilder(RadiusCode.AccessRequest, 1)
                .AddString(RadiusAttributeType.UserName, "alice")
                .Add(RadiusAttributeType.UserPassword, UserPassword.Hide("1234"u8, secret, authenticator))
                .Add(RadiusAttributeType.State, [1, 2, 3, 4])
                .AddVendorSpecific(9, 1, "shell:priv-lvl=15"u8)
                .Add(RadiusAttributeType.ProxyState, [7])
                .BuildRequest(authenticator, secret, withMessageAuthenticator: true),
            new RadiusPacketBuilder(RadiusCode.AccessRequest, 2)
                .Add(RadiusAttributeType.EapMessage, [2, 1, 0, 5, 1])
                .Add(RadiusAttributeType.EapMessage, new byte[253])
                .BuildRequest(authenticator, secret, withMessageAuthenticator: true),
            new RadiusPacketBuilder(RadiusCode.AccessChallenge, 4)
                .AddReplyMessage(new string('€', 200))
                .AddString(RadiusAttributeType.State, "abc")
                .BuildReply(authenticator, secret, withMessageAuthenticator: true),
            new RadiusPacketBuilder(RadiusCode.AccountingRequest, 5)
                .AddUInt32(40, 1)
                .AddString(44, "session")
                .BuildAccountingStyleRequest(secret),
            many.BuildRequest(authenticator, secret, withMessageAuthenticator: false),
            many.Add(RadiusAttributeType.Class, [1]).BuildRequest(authenticator, secret, withMessageAuthenticator: false),
        ];
    }
}
