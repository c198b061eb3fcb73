namespace RadiusEmailOtp.Infrastructure.Configuration;

/// <summary>
/// The validated <c>[store]</c> table. <see cref="Connection"/> is set exactly when <see cref="Kind"/> is PostgreSQL;
/// it holds the password, and prints (ToString) only its redacted form. <see cref="Node"/> names this server in the
/// shared database (the challenges it created, the deliveries it recovers after a crash).
/// </summary>
public sealed record StoreSettings(StoreKind Kind, PostgresConnectionString? Connection, string Node)
{
    /// <summary>The embedded SQLite store, the default without a <c>[store]</c> table.</summary>
    public static StoreSettings Sqlite { get; } = new(StoreKind.Sqlite, null, StoreSettingsBinder.DefaultNode());
}
