using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Postgres;

namespace RadiusEmailOtp.Infrastructure.Tests;

/// <summary>Stops the test run's PostgreSQL cluster once every test of this assembly has run (process exit stops it otherwise).</summary>
[SetUpFixture]
public sealed class PostgresClusterTeardown
{
    [OneTimeTearDown]
    public Task StopClusterAsync() => PostgresCluster.StopAsync();
}
