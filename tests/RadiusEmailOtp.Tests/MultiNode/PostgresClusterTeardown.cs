using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Tests.Postgres;

namespace RadiusEmailOtp.Tests.MultiNode;

/// <summary>Stops the test run's PostgreSQL cluster once the multi-node tests have run (process exit stops it otherwise).</summary>
[SetUpFixture]
public sealed class PostgresClusterTeardown
{
    [OneTimeTearDown]
    public Task StopClusterAsync() => PostgresCluster.StopAsync();
}
