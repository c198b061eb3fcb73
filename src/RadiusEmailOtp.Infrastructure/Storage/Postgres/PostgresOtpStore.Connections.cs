using System.Net.Sockets;
using Npgsql;
using RadiusEmailOtp.Otp.Storage;

namespace RadiusEmailOtp.Infrastructure.Storage.Postgres;

/// <summary>
/// Connections, errors and the one retry. A dropped connection or a failover (the backend terminated: 57P01–57P03; a
/// connection failure: 08000, 08001, 08003, 08006; a socket or stream error, a timeout) is retried once on a fresh
/// connection, but only for what may run twice: idempotent reads and the writes whose outcome a conditional update
/// decides (a second run of a committed one finds its condition false and changes nothing). When that retry fails
/// too, or for any other write, the failure is a <see cref="StoreUnavailableException"/>; every other PostgreSQL error
/// is a <see cref="StorageException"/>. Messages name the host and port and the cause, never the password.
/// </summary>
public sealed partial class PostgresOtpStore
{
    private static readonly HashSet<string> s_connectionStates = new(StringComparer.Ordinal)
    {
        PostgresErrorCodes.AdminShutdown,            // 57P01: pg_terminate_backend, a fast shutdown, a failover
        PostgresErrorCodes.CrashShutdown,            // 57P02
        PostgresErrorCodes.CannotConnectNow,         // 57P03: starting up, or in recovery
        PostgresErrorCodes.ConnectionException,      // 08000
        PostgresErrorCodes.SqlClientUnableToEstablishSqlConnection, // 08001
        PostgresErrorCodes.ConnectionDoesNotExist,   // 08003
        PostgresErrorCodes.ConnectionFailure,        // 08006
    };

    /// <summary>Whether a failed operation may run a second time.</summary>
    private enum Retry
    {
        Never,
        Once,
    }

    /// <summary>Runs <paramref name="work"/> on a connection of the pool, with the store's error handling.</summary>
    private async Task<T> RunAsync<T>(string what, Retry retry, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                // After a restart or a failover every idle connection of the pool is dead, and each would fail its
                // first command: drop them all, so the retry (and the next requests) open fresh ones.
                _dataSource.Clear();
                if (retry == Retry.Once && attempt == 1)
                {
                    continue;
                }

                throw new StoreUnavailableException($"{what}: the database at {_endpoint} cannot be reached: {Cause(ex)}", ex);
            }
            catch (NpgsqlException ex)
            {
                throw new StorageException($"{what}: {Cause(ex)}", ex);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in a transaction that commits when it returns true, else rolls back.</summary>
    private Task<T> InTransactionAsync<T>(
        string what, Retry retry, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<(bool Commit, T Result)>> work, CancellationToken cancellationToken) =>
        RunAsync(
            what,
            retry,
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                var (commit, result) = await work(connection, transaction, ct).ConfigureAwait(false);
                if (commit)
                {
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                }
                else
                {
                    await transaction.RollbackAsync(ct).ConfigureAwait(false);
                }

                return result;
            },
            cancellationToken);

    internal static bool IsConnectionFailure(Exception exception) => exception switch
    {
        PostgresException postgres => s_connectionStates.Contains(postgres.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    // "57P01: terminating connection due to administrator command", "Failed to connect to 127.0.0.1:5432 (Connection
    // refused)": the server's text or Npgsql's and the socket's, none of which holds the password.
    private static string Cause(Exception exception) =>
        exception is PostgresException || exception.InnerException is null || exception.InnerException.Message == exception.Message
            ? exception.Message
            : $"{exception.Message} ({exception.InnerException.Message})";

    // host:port of the connection string, for messages (a multi-host string lists every host).
    private static string Endpoint(NpgsqlDataSource dataSource)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        return host.Contains(':', StringComparison.Ordinal) || host.Contains(',', StringComparison.Ordinal)
            ? host
            : $"{host}:{builder.Port}";
    }
}
