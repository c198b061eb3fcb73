using System.Net;
using NUnit.Framework;
using RadiusEmailOtp.Radius.Clients;
using RadiusEmailOtp.Radius.Tests.Dictionary;

namespace RadiusEmailOtp.Radius.Tests.Clients;

/// <summary>FreeRADIUS clients.conf syntax as the parser reads it.</summary>
[TestFixture]
public sealed class ClientsConfParserTests
{
    private const string File = "clients.conf";

    private static ClientsConfResult Parse(string text) => ClientsConfParser.ParseText(text.ReplaceLineEndings("\n"), File);

    [Test]
    public void Full_client_section_is_read()
    {
        var result = Parse("""
            # comment
            client office {
                ipaddr = 192.0.2.0/24    # trailing comment
                secret = "tes\"ting\\123"
                require_message_authenticator = Yes
                limit_proxy_state = auto
                shortname = 'off ice'
                nas_type = cisco
                proto = *
                virtual_server = inner
                limit {
                    max_connections = 16
                    secret = not-this-one
                }
            }
            """);
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Clients, Has.Count.EqualTo(1));
        Assert.That(result.Clients[0], Is.EqualTo(new ClientDefinition(
            "office", IPNetwork.Parse("192.0.2.0/24"), "tes\"ting\\123", "yes", "auto", "off ice", "cisco", File, 2)));
    }

    [Test]
    public void One_line_section_with_several_pairs_is_read()
    {
        var result = Parse("client a { ipaddr = 198.51.100.7 secret = s1 }\nclient b { ipv6addr = 2001:db8::/32 secret = s2 }");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Clients.Select(c => c.Network.ToString()), Is.EqualTo(new[] { "198.51.100.7/32", "2001:db8::/32" }));
    }

    [Test]
    public void Host_bits_are_cleared_and_legacy_netmask_applies()
    {
        var result = Parse("client a {\n ipaddr = 10.1.2.3/8\n secret = x\n}\nclient b {\n ipv4addr = 172.16.5.9\n netmask = 16\n secret = x\n}");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Clients[0].Network, Is.EqualTo(IPNetwork.Parse("10.0.0.0/8")));
        Assert.That(result.Clients[1].Network, Is.EqualTo(IPNetwork.Parse("172.16.0.0/16")));
    }

    [Test]
    public void Name_is_the_address_when_no_ipaddr_is_given()
    {
        var result = Parse("client 203.0.113.0/25 {\n secret = x\n}\nclient ::1 {\n secret = y\n}");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Clients[0].Network, Is.EqualTo(IPNetwork.Parse("203.0.113.0/25")));
        Assert.That(result.Clients[1].Network, Is.EqualTo(IPNetwork.Parse("::1/128")));
    }

    [Test]
    public void Wildcard_addresses_match_everything_of_their_family()
    {
        var result = Parse("client any4 {\n ipaddr = *\n secret = x\n}\nclient any6 {\n ipv6addr = *\n secret = x\n}");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Clients[0].Network, Is.EqualTo(IPNetwork.Parse("0.0.0.0/0")));
        Assert.That(result.Clients[1].Network, Is.EqualTo(IPNetwork.Parse("::/0")));
    }

    [Test]
    public void Clients_inside_other_sections_are_found()
    {
        var result = Parse("clients per_socket {\n client inner {\n ipaddr = 127.0.0.1\n secret = x\n }\n}\n");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Clients.Single().Name, Is.EqualTo("inner"));
    }

    [TestCase("client a {\n ipaddr = 10.0.0.1\n}\n", 1, "has no secret")]
    [TestCase("client a {\n ipaddr = 10.0.0.1\n secret = \"\"\n}\n", 1, "has no secret")]
    [TestCase("client a {\n secret = x\n\n ipaddr = 10.0.0.1/33\n}\n", 4, "invalid prefix length")]
    [TestCase("client a {\n ipaddr = radius.example.com\n secret = x\n}\n", 2, "not an IP address")]
    [TestCase("client a {\n ipaddr = 10.1\n secret = x\n}\n", 2, "not an IP address")]
    [TestCase("client a {\n ipv4addr = 2001:db8::1\n secret = x\n}\n", 2, "not an IPv4 address")]
    [TestCase("client a {\n ipv6addr = 10.0.0.1\n secret = x\n}\n", 2, "not an IPv6 address")]
    [TestCase("client a {\n ipaddr = 10.0.0.0/8\n netmask = 16\n secret = x\n}\n", 2, "contradicts")]
    [TestCase("client a {\n ipaddr = 10.0.0.1\n ipaddr = 10.0.0.2\n secret = x\n}\n", 3, "second address")]
    [TestCase("client a {\n ipaddr = 10.0.0.1\n secret = x\n require_message_authenticator = maybe\n}\n", 4, "yes, no or auto")]
    [TestCase("client nas {\n secret = x\n}\n", 1, "no ipaddr")]
    [TestCase("\n\nclient a {\n ipaddr = 10.0.0.1\n secret = x\n", 3, "missing its closing")]
    [TestCase("client a {\n ipaddr = 10.0.0.1\n secret = x\n}\n}\n", 5, "unbalanced '}'")]
    [TestCase("client a {\n ipaddr = 10.0.0.1\n secret = \"x\n}\n", 3, "unterminated")]
    [TestCase("client a {\n ipaddr =\n secret = x\n}\n", 2, "has no value")]
    public void Error_names_file_and_line(string text, int line, string problem)
    {
        var result = Parse(text);
        Assert.That(result.Errors, Has.Some.Matches<ClientsConfError>(e => e.File == File && e.Line == line && e.Message.Contains(problem)),
            string.Join("; ", result.Errors));
    }

    [Test]
    public void A_bad_client_does_not_hide_the_good_ones()
    {
        var result = Parse("client bad {\n ipaddr = 10.0.0.1\n}\nclient good {\n ipaddr = 10.0.0.2\n secret = x\n}\n");
        Assert.That(result.Clients.Single().Name, Is.EqualTo("good"));
        Assert.That(result.Errors.Single().Line, Is.EqualTo(1));
    }

    [Test]
    public void Secret_is_not_in_the_text_form()
    {
        var client = Parse("client a {\n ipaddr = 10.0.0.1\n secret = hunter2\n}\n").Clients.Single();
        Assert.That(client.ToString(), Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Parse_reads_a_file_and_reports_its_path()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("clients.conf", "client lo {\n ipaddr = 127.0.0.1\n secret = testing123\n}\n");
        var result = ClientsConfParser.Parse(path);
        Assert.That(result.Clients.Single().File, Is.EqualTo(path));
        var missing = ClientsConfParser.Parse(Path.Combine(directory.Path, "absent.conf"));
        Assert.That(missing.Errors.Single().Line, Is.Zero);
    }

    [Test]
    public void Debian_default_clients_conf_parses_when_installed()
    {
        const string Debian = "/etc/freeradius/3.0/clients.conf";
        if (!System.IO.File.Exists(Debian))
        {
            Assert.Ignore("freeradius not installed");
        }

        var result = ClientsConfParser.Parse(Debian);
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Clients.Select(c => c.Name), Does.Contain("localhost"));
    }
}
