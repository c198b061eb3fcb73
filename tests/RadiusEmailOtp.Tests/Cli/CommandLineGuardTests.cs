using System.Security.Cryptography;
using NUnit.Framework;
using RadiusEmailOtp.Cli;

namespace RadiusEmailOtp.Tests.Cli;

/// <summary>Whatever a command throws, the admin sees one line and a non-zero exit (behaviour.md §6).</summary>
[NonParallelizable]
public sealed class CommandLineGuardTests
{
    [Test]
    public async Task An_unexpected_exception_is_one_line_on_stderr_and_exit_1()
    {
        var (code, stderr) = await GuardAsync(() => throw new CryptographicException("ASN1 corrupted data.\nsecond line"));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr.TrimEnd(), Is.EqualTo("radius-email-otp serve: error: ASN1 corrupted data.; second line"));
    }

    [Test]
    public async Task A_usage_error_stays_exit_2()
    {
        var (code, stderr) = await GuardAsync(() => throw new CommandLineException("unknown option --x"));

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.TrimEnd(), Is.EqualTo("radius-email-otp serve: unknown option --x"));
    }

    private static async Task<(int Code, string Error)> GuardAsync(Func<Task<int>> run)
    {
        var previous = Console.Error;
        using var stderr = new StringWriter();
        Console.SetError(stderr);
        try
        {
            return (await CommandLine.GuardAsync("serve", run), stderr.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
