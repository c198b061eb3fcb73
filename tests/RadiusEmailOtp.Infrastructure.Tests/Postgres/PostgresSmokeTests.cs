using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;

namespace RadiusEmailOtp.Infrastructure.Tests.Postgres;

public sealed class PostgresSmokeTests
{
    [Test]
    public async Task Migrates()
    {
        var cluster = await PostgresCluster.GetAsync();
        var cs = await cluster.CreateDatabaseAsync();
        await using var store = new PostgresOtpStore(NpgsqlDataSource.Create(cs), "a", new FakeTimeProvider());
        await store.MigrateAsync(CancellationToken.None);
        Assert.That(await store.SchemaVersionAsync(CancellationToken.None), Is.EqualTo(1));
        await cluster.DropDatabaseAsync(cs);
    }
}
