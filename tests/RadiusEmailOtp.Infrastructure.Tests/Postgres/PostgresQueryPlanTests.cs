using System.Text.RegularExpressions;
using Npgsql;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage.Postgres;
using RadiusEmailOtp.Infrastructure.Tests.Storage;

namespace RadiusEmailOtp.Infrastructure.Tests.Postgres;

/// <summary>
/// Every PostgreSQL statement of the request path and of the clean-up can reach its rows through an index: with
/// sequential scans priced out (<c>enable_seqscan = off</c>), a plan that still scans a table has no index to use, and
/// its cost would grow with the tokens and with the challenges kept for <c>challenge list</c>.
/// </summary>
public sealed partial class PostgresQueryPlanTests() : StoreTestBase(StoreEngine.Postgres)
{
    private static readonly Dictionary<string, object> s_values = new(StringComparer.Ordinal)
    {
        ["serial"] = "s", ["serials"] = new[] { "s", "t" }, ["ids"] = new[] { 1L, 2L }, ["user"] = "alice", ["realm"] = "example.com",
        ["state"] = "st", ["client"] = "vpn1", ["node"] = "radius-a", ["blockedClient"] = "vpn1", ["delivery"] = "accepted",
        ["provider"] = "smtp", ["messageId"] = "m", ["error"] = "e",
    };

    public static IEnumerable<TestCaseData> Statements()
    {
        yield return Case(nameof(PostgresStatements.TokenBySerial), PostgresStatements.TokenBySerial);
        yield return Case(nameof(PostgresStatements.TokensOfUser), PostgresStatements.TokensOfUser);
        yield return Case(nameof(PostgresStatements.IncrementFailCount), PostgresStatements.IncrementFailCount);
        yield return Case(nameof(PostgresStatements.CreateChallenge), PostgresStatements.CreateChallenge);
        yield return Case(nameof(PostgresStatements.ChallengesOfState), PostgresStatements.ChallengesOfState);
        yield return Case(nameof(PostgresStatements.OpenChallengesOfTokens), PostgresStatements.OpenChallengesOfTokens);
        yield return Case(nameof(PostgresStatements.AnsweredChallengesOfTokens), PostgresStatements.AnsweredChallengesOfTokens);
        yield return Case(nameof(PostgresStatements.MailsOfTokensSince), PostgresStatements.MailsOfTokensSince);
        yield return Case(nameof(PostgresStatements.ClearStaleLock), PostgresStatements.ClearStaleLock);
        yield return Case(nameof(PostgresStatements.AnswerChallenge), PostgresStatements.AnswerChallenge);
        yield return Case(nameof(PostgresStatements.CloseStateAndOlder), PostgresStatements.CloseStateAndOlder);
        yield return Case(nameof(PostgresStatements.ResetFailCount), PostgresStatements.ResetFailCount);
        yield return Case(nameof(PostgresStatements.CountWrongAnswer), PostgresStatements.CountWrongAnswer);
        yield return Case(nameof(PostgresStatements.RecordDelivery), PostgresStatements.RecordDelivery);
        yield return Case(nameof(PostgresStatements.MarkInterrupted), PostgresStatements.MarkInterrupted);
        yield return Case(nameof(PostgresStatements.ExpireOpen), PostgresStatements.ExpireOpen);
        yield return Case(nameof(PostgresStatements.DeleteExpired), PostgresStatements.DeleteExpired);
    }

    [TestCaseSource(nameof(Statements))]
    public async Task A_statement_reaches_its_rows_through_an_index(string sql)
    {
        await OpenStoreAsync();
        await using var dataSource = DataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off;", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        foreach (var name in ParameterName().Matches(sql).Select(m => m.Groups[1].Value).Distinct())
        {
            // Texts as text, numbers (times, counters, limits) as bigint.
            command.Parameters.AddWithValue(name, s_values.TryGetValue(name, out var value) ? value : 1L);
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, plan));
        Assert.That(plan, Has.None.Match(@"Seq Scan on (tokens|challenges)\b"), "a full table scan");
    }

    private static TestCaseData Case(string name, string sql) => new TestCaseData(sql).SetArgDisplayNames(name);

    [GeneratedRegex(@"@([A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex ParameterName();
}
