namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>Where the tokens and challenges live: <c>[store] kind</c>.</summary>
public enum StoreKind
{
    /// <summary>One SQLite file in <c>data_dir</c>, one server process (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by several nodes.</summary>
    Postgresql,
}
