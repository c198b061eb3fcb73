namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>The store a parameterised store test runs against.</summary>
public enum StoreEngine
{
    Sqlite,
    Postgres,
}
