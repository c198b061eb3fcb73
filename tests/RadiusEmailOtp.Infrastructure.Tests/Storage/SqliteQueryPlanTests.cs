using System.Text.RegularExpressions;
using NUnit.Framework;
using RadiusEmailOtp.Infrastructure.Storage;

namespace RadiusEmailOtp.Infrastructure.Tests.Storage;

/// <summary>
/// Every statement of the request path reaches its rows through an index (issue 11): a table scan would make each
/// request slower as tokens, and the answered and expired challenges kept for <c>challenge list</c>, accumulate.
/// </summary>
public sealed partial class SqliteQueryPlanTests : StoreTestBase
{
    public static IEnumerable<TestCaseData> RequestPathStatements()
    {
        yield return Case(nameof(SqliteStatements.TokensOfUser), SqliteStatements.TokensOfUser);
        yield return Case(nameof(SqliteStatements.ChallengesOfState), SqliteStatements.ChallengesOfState);
        yield return Case(nameof(SqliteStatements.AdvanceCounter), SqliteStatements.AdvanceCounter);
        yield return Case(nameof(SqliteStatements.InsertChallenge), SqliteStatements.InsertChallenge);
        yield return Case(nameof(SqliteStatements.AnswerChallenge), SqliteStatements.AnswerChallenge);
        yield return Case(nameof(SqliteStatements.CloseStateAndOlder), SqliteStatements.CloseStateAndOlder);
        yield return Case(nameof(SqliteStatements.ResetFailCount), SqliteStatements.ResetFailCount);
        yield return Case(nameof(SqliteStatements.RecordDelivery), SqliteStatements.RecordDelivery);
        yield return Case(nameof(SqliteStatements.ExpireOpen), SqliteStatements.ExpireOpen);
        yield return Case(nameof(SqliteStatements.DeleteExpired), SqliteStatements.DeleteExpired);
        yield return Case(nameof(SqliteStatements.ClearStaleLock), SqliteStatements.ClearStaleLock);
        foreach (var count in new[] { 1, 3 })
        {
            yield return Case($"OpenChallengesOfTokens({count})", SqliteStatements.OpenChallengesOfTokens(count));
            yield return Case($"IncrementFailCount({count})", SqliteStatements.IncrementFailCount(count));
            yield return Case($"CountWrongAnswer({count})", SqliteStatements.CountWrongAnswer(count));
            yield return Case($"AnsweredChallengesOfTokens({count})", SqliteStatements.AnsweredChallengesOfTokens(count));
            yield return Case($"MailsOfTokensSince({count})", SqliteStatements.MailsOfTokensSince(count));
        }
    }

    [TestCaseSource(nameof(RequestPathStatements))]
    public async Task A_request_path_statement_uses_an_index_and_scans_no_table(string sql)
    {
        using var storage = await OpenAsync();
        await using var connection = await storage.SqliteStore.OpenConnectionForTestsAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (Match parameter in ParameterName().Matches(sql))
        {
            if (!command.Parameters.Contains(parameter.Value))
            {
                command.Parameters.AddWithValue(parameter.Value, DBNull.Value);
            }
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, plan));
        Assert.That(plan, Has.None.Match(@"^SCAN (tokens|challenges)\b"), "a full table scan");
        if (plan.Count > 0)
        {
            // An INSERT has no plan of its own; everything else must say which index it took.
            Assert.That(plan, Has.Some.Match("USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY"), "the rows are reached by an index");
        }
    }

    private static TestCaseData Case(string name, string sql) => new TestCaseData(sql).SetArgDisplayNames(name);

    [GeneratedRegex("@[A-Za-z0-9]+")]
    private static partial Regex ParameterName();
}
