using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RadiusEmailOtp.Infrastructure.Storage;

/// <summary>
/// The store's one writer (group commit). Every durable write of the process is queued here; a dedicated thread takes
/// everything pending, runs each write in a savepoint of one transaction and commits the batch with one fsync
/// (synchronous=FULL). A caller's task completes only after the commit that made its write durable, and carries its own
/// result: the conditional updates still decide who wins, row by row, in queue order, so two answers to one challenge
/// in one batch still have one winner. A write that fails rolls back to its savepoint and fails alone; a commit that
/// fails fails the whole batch, and no caller is told a write happened that did not.
/// </summary>
/// <remarks>
/// One writer also removes what made writes slow before: connections waiting for each other's write lock
/// (Microsoft.Data.Sqlite retries a busy database by sleeping). Readers use other connections and, in WAL mode, never
/// wait for this one. Another process (the CLI) still takes the write lock now and then; the busy timeout covers that.
/// </remarks>
internal sealed class GroupCommitWriter : IDisposable
{
    // Large enough that a burst commits in a few batches, small enough that one batch never holds the lock for long.
    private const int MaxBatch = 512;

    private readonly string _connectionString;
    private readonly BlockingCollection<PendingWrite> _queue = [];
    private readonly Thread _thread;
    private PreparedConnection? _connection;
    private long _batches;

    public GroupCommitWriter(string connectionString)
    {
        // Not pooled: the writer opens its transactions with plain SQL, which Microsoft.Data.Sqlite does not track, so
        // a pooled handle closed after a failed ROLLBACK would go back to the pool still holding the write lock (and
        // the failed batch's rows) for the next connection to inherit.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        // A background thread: a store that is never disposed (a test, a CLI command that fails) must not keep the
        // process alive.
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-writer" };
        _thread.Start();
    }

    /// <summary>Called on the writer thread after a batch's writes ran and before its commit (tests stall or break a batch here).</summary>
    internal Action? BeforeCommitForTests { get; set; }

    /// <summary>Batches committed so far (tests check that concurrent writes shared one).</summary>
    internal long BatchCount => Interlocked.Read(ref _batches);

    /// <summary>Queues a write; the task completes with its result once the batch holding it is committed.</summary>
    public Task<T> WriteAsync<T>(Func<PreparedConnection, T> write)
    {
        var pending = new PendingWrite<T>(write);
        try
        {
            _queue.Add(pending);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "the store is closed");
        }

        return pending.Task;
    }

    /// <summary>Lets queued writes finish, then closes the writer's connection.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _queue.Dispose();
    }

    private void Run()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (batch.Count < MaxBatch && _queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            Commit(batch);
            batch.Clear();
        }

        _connection?.Dispose();
        _connection = null;
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            var connection = _connection ??= PreparedConnection.Open(_connectionString);
            // IMMEDIATE takes the write lock up front, so a batch never fails half-way for want of it.
            connection.Execute("BEGIN IMMEDIATE;");
            foreach (var write in batch)
            {
                connection.Execute("SAVEPOINT w;");
                try
                {
                    write.Run(connection);
                    connection.Execute("RELEASE w;");
                }
                catch (Exception ex)
                {
                    // This write alone is undone; the others of the batch go on.
                    connection.Execute("ROLLBACK TO w;");
                    connection.Execute("RELEASE w;");
                    write.Fail(ex);
                }
            }

            BeforeCommitForTests?.Invoke();
            connection.Execute("COMMIT;");
        }
        catch (Exception ex)
        {
            Abandon();
            var failure = new StorageException($"the write could not be committed: {ex.Message}", ex);
            foreach (var write in batch)
            {
                write.Fail(failure);
            }

            return;
        }

        Interlocked.Increment(ref _batches);
        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    // After a failed batch the connection's state is not worth reasoning about: roll back what can be, and start the
    // next batch on a fresh connection.
    private void Abandon()
    {
        try
        {
            _connection?.Execute("ROLLBACK;");
        }
        catch (Exception)
        {
            // No transaction was open, or the connection is broken; it is closed below either way (unpooled, so
            // closing it ends whatever transaction is left).
        }

        try
        {
            _connection?.Dispose();
        }
        catch (Exception)
        {
            // The writer thread must outlive a broken connection: the next batch opens a fresh one.
        }

        _connection = null;
    }

    private abstract class PendingWrite
    {
        public abstract void Run(PreparedConnection connection);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<PreparedConnection, T> write) : PendingWrite
    {
        // Continuations must not run on the writer thread: it would stall every batch behind a caller's request.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Task => _completion.Task;

        public override void Run(PreparedConnection connection) => _result = write(connection);

        public override void Complete()
        {
            if (_failure is null)
            {
                _completion.TrySetResult(_result!);
            }
            else
            {
                _completion.TrySetException(_failure);
            }
        }

        // A write that failed alone is reported when its batch ends; a failed batch overrides any result.
        public override void Fail(Exception exception)
        {
            _failure = exception;
            if (exception is StorageException)
            {
                _completion.TrySetException(exception);
            }
        }
    }
}
