using NUnit.Framework;
using RadiusEmailOtp.Radius;
using RadiusEmailOtp.Tests.Support;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>[store] is read at start: a reload that changes it says it needs a restart and the server keeps its store.</summary>
[TestFixture]
public sealed class StoreReloadTests
{
    [Test]
    public async Task A_changed_store_needs_a_restart_and_the_running_store_stays()
    {
        await using var server = await TestServer.StartAsync();
        await TokenCli.EnrollAsync(server.ConfigPath, "alice", "alice@example.com", "1234");
        File.AppendAllText(server.ConfigPath, "\n[store]\nkind = \"postgresql\"\nconnection = \"Host=127.0.0.1;Port=1;Database=otp;Username=otp;Password=not-in-the-log\"\n");

        Assert.That(await server.Host.ReloadAsync(), Is.True, server.Log.Text);
        Assert.That(server.Log.Text, Does.Contain("[store] changed; it needs a restart"));
        Assert.That(server.Log.Text, Does.Not.Contain("not-in-the-log"));
        Assert.That(server.Host.Config.Store.Kind, Is.EqualTo(Infrastructure.Configuration.StoreKind.Sqlite), "the store the server started with");
        using var nas = new NasClient(server, "testing123");
        Assert.That((await nas.LoginAsync("alice", "1234")).Code, Is.EqualTo(RadiusCode.AccessChallenge), "still on the SQLite tokens");

        Assert.That(await server.Host.ReloadAsync(), Is.True);
        Assert.That(server.Log.Lines.Count(l => l.Contains("[store] changed", StringComparison.Ordinal)), Is.EqualTo(2), "said again: the running store has not changed");
    }
}
