using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace RadiusEmailOtp.Infrastructure.Tests.Ldap;

/// <summary>
/// A throw-away OpenLDAP slapd on loopback: its own slapd.conf, an mdb database and certificates in a temp directory,
/// users loaded with slapadd, plain LDAP (with StartTLS) and LDAPS on free ports. slapd missing: the test is ignored
/// locally and fails in CI (environment variable CI set). Each BIND is counted from slapd's stats log.
/// </summary>
internal sealed class SlapdServer : IAsyncDisposable
{
    public const string BaseDn = "ou=people,dc=example,dc=com";
    public const string ReaderDn = "cn=reader,dc=example,dc=com";
    public const string ReaderPassword = "reader-secret";
    public const string AdminDn = "cn=admin,dc=example,dc=com";
    public const string AdminPassword = "admin-secret";

    private const string Slapd = "/usr/sbin/slapd";
    private const string Slapadd = "/usr/sbin/slapadd";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SlapdServer(string dir, Process process, int ldapPort, int ldapsPort, string caFile)
    {
        Directory = dir;
        _process = process;
        LdapPort = ldapPort;
        LdapsPort = ldapsPort;
        CaFile = caFile;
    }

    public string Directory { get; }

    public int LdapPort { get; }

    public int LdapsPort { get; }

    /// <summary>The CA that issued the server certificate (for localhost only, so 127.0.0.1 is a name mismatch).</summary>
    public string CaFile { get; }

    /// <summary>A CA that did not issue it (for the wrong-CA test).</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    public string LdapUri => $"ldap://localhost:{LdapPort}";

    public string LdapsUri => $"ldaps://localhost:{LdapsPort}";

    public static void RequireInstalled()
    {
        if (File.Exists(Slapd) && File.Exists(Slapadd) && File.Exists("/usr/bin/ldapmodify"))
        {
            return;
        }

        const string message = "slapd or ldap-utils not installed (apt-get install slapd ldap-utils); LDAP tests need them";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " and CI requires them");
        }

        Assert.Ignore(message);
    }

    /// <summary>Starts slapd with users alice, bob (no mail) and carol; "alice2" shares alice's mail (ambiguity tests).</summary>
    public static async Task<SlapdServer> StartAsync()
    {
        RequireInstalled();
        var dir = System.IO.Directory.CreateTempSubdirectory("reo-slapd-").FullName;
        var (caFile, certFile, keyFile) = LdapTestCertificates.Write(dir, "server", ["localhost", .. LocalHostNames()]);
        var (otherCa, _, _) = LdapTestCertificates.Write(dir, "other", "localhost");
        File.Move(otherCa, Path.Combine(dir, "other-ca.pem"));
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "db"));
        var conf = Path.Combine(dir, "slapd.conf");
        File.WriteAllText(conf, $"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            pidfile {dir}/slapd.pid
            TLSCACertificateFile {caFile}
            TLSCertificateFile {certFile}
            TLSCertificateKeyFile {keyFile}
            database mdb
            maxsize 16777216
            suffix "dc=example,dc=com"
            rootdn "{AdminDn}"
            rootpw {AdminPassword}
            directory {dir}/db
            access to attrs=userPassword by anonymous auth by self write by * none
            access to * by users read by * none

            """);
        File.WriteAllText(Path.Combine(dir, "users.ldif"), Users);
        await RunAsync(Slapadd, "-f", conf, "-l", Path.Combine(dir, "users.ldif"));

        for (var attempt = 0; ; attempt++)
        {
            var ldapPort = FreePort();
            var ldapsPort = FreePort();
            var process = Process.Start(new ProcessStartInfo(Slapd)
            {
                ArgumentList = { "-d", "stats", "-f", conf, "-h", $"ldap://127.0.0.1:{ldapPort}/ ldaps://127.0.0.1:{ldapsPort}/" },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var server = new SlapdServer(dir, process, ldapPort, ldapsPort, caFile);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            if (await server.WaitReadyAsync())
            {
                return server;
            }

            await server.StopAsync();
            if (attempt == 4)
            {
                System.IO.Directory.Delete(dir, true);
                Assert.Fail($"slapd did not start: {server.Log}");
            }
        }
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>How many BIND requests slapd logged as <paramref name="dn"/> so far (one "method=" line each; a success adds a "mech=" line).</summary>
    public int BindCount(string dn) =>
        Log.Split('\n').Count(l => l.Contains(" BIND dn=\"" + dn + "\" method=", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The <c>[[resolver]]</c> entry "corp" for this server (service account, people base, uid logins, 2 s timeouts),
    /// with the realm map that sends example.com's users to it first, as the server's end-to-end tests configure it.
    /// </summary>
    public string CorpResolverToml() => $"""

        [realms."example.com"]
        resolvers = ["corp", "local"]

        [[resolver]]
        name = "corp"
        type = "ldap"
        uri = ["{LdapUri}"]
        bind_dn = "{ReaderDn}"
        bind_password = "{ReaderPassword}"
        base_dn = "{BaseDn}"
        login_attribute = ["uid"]
        search_filter = "(objectClass=inetOrgPerson)"
        timeout = "2;2"

        """;

    /// <summary>Applies an LDIF change as the directory's admin (ldapmodify).</summary>
    public Task ModifyAsync(string ldif) =>
        RunWithInputAsync("/usr/bin/ldapmodify", ldif, "-x", "-H", $"ldap://127.0.0.1:{LdapPort}", "-D", AdminDn, "-w", AdminPassword);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        System.IO.Directory.Delete(Directory, true);
    }

    private static string Users => """
        dn: dc=example,dc=com
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: ou=people,dc=example,dc=com
        objectClass: organizationalUnit
        ou: people

        dn: cn=reader,dc=example,dc=com
        objectClass: person
        cn: reader
        sn: reader
        userPassword: reader-secret

        dn: uid=alice,ou=people,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: alice
        cn: Alice Liddell
        sn: Liddell
        mail: alice@corp.example
        mail: alice.second@corp.example
        userPassword: alice-password

        dn: uid=bob,ou=people,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: bob
        cn: Bob
        sn: Builder
        userPassword: bob-password

        dn: uid=carol,ou=people,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: carol
        cn: Carol
        sn: Carol
        mail: carol@corp.example
        userPassword: carol-password

        """;

    // libldap checks a certificate for "localhost" against this machine's own name (ldap_pvt_get_fqdn), so the test
    // certificate carries that name too.
    private static string[] LocalHostNames()
    {
        var name = Dns.GetHostName();
        try
        {
            return [name, Dns.GetHostEntry(name).HostName];
        }
        catch (SocketException)
        {
            return [name];
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsync(string file, params string[] args) => RunWithInputAsync(file, null, args);

    private static async Task RunWithInputAsync(string file, string? input, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{Path.GetFileName(file)} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task<bool> WaitReadyAsync()
    {
        for (var i = 0; i < 100 && !_process.HasExited; i++)
        {
            if (await CanConnectAsync(LdapPort) && await CanConnectAsync(LdapsPort))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }
}
