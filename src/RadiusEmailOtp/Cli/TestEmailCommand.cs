using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using RadiusEmailOtp.Infrastructure.Email;
using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Tokens;

namespace RadiusEmailOtp.Cli;

/// <summary>
/// <c>test-email --to ADDR [--provider NAME] [--user U --realm R --client IP]</c>: sends a sample OTP mail through one
/// provider, or through the route the policies pick for that user and client, and prints the provider, the server's
/// reply and the time taken.
/// </summary>
internal static class TestEmailCommand
{
    public static readonly CommandHelp Help = new(
        "test-email",
        "--to ADDR [--provider NAME] [--user U] [--realm R] [--client IP]",
        "Send a sample OTP mail through one provider, or the route the policies pick; print the provider, the server's reply and the time.",
        [
            new("--to ADDR", "the recipient (required)"),
            new("--provider NAME", "send through this provider only, without failover"),
            new("--user U", "the user the policies are evaluated for (default \"test\")"),
            new("--realm R", "the realm the policies are evaluated for"),
            new("--client IP", "the NAS address the policies are evaluated for"),
        ]);

    public static async Task<int> RunAsync(CommandArgs args)
    {
        var providerName = args.Option("provider");
        var to = args.RequiredOption("to");
        var user = args.Option("user") ?? "test";
        var realm = args.Option("realm") ?? string.Empty;
        var clientText = args.Option("client");
        args.EnsureAllUsed();
        IPAddress? client = null;
        if (clientText is not null && !IPAddress.TryParse(clientText, out client))
        {
            throw new CommandLineException($"--client \"{clientText}\" is not an IP address");
        }

        if (!MimeKit.MailboxAddress.TryParse(to, out _))
        {
            throw new CommandLineException($"--to \"{to}\" is not an e-mail address");
        }

        var config = ConfigCommandSupport.LoadOrThrow(args.ConfigPath);
        await using var services = EmailServices.Create(config, NullLoggerFactory.Instance, TimeProvider.System);
        var route = services.Selector.Select(user, realm, EmailToken.LocalResolver, client);
        if (providerName is not null)
        {
            if (!services.Providers.ContainsKey(providerName))
            {
                throw new CommandLineException($"no e-mail provider named \"{providerName}\" (configured: {string.Join(", ", services.Providers.Keys)})");
            }

            route = route with { Providers = [providerName], PolicyName = null };
        }

        var otp = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var request = new OtpMailRequest("TEST-EMAIL", user, realm, to, otp, TimeSpan.FromMinutes(5), client);
        // Bounded even when a provider's own timeouts are generous: failover over several providers adds up.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var result = await services.Sender.SendAsync(request, route, timeout.Token);
        var chosen = $"{string.Join(" ", route.Providers)}{(route.PolicyName is null ? string.Empty : $" (policy \"{route.PolicyName}\")")}";
        var millis = (long)result.Duration.TotalMilliseconds;
        if (!result.Accepted)
        {
            Console.Error.WriteLine($"radius-email-otp test-email: not delivered (route {chosen}; last provider {result.Provider}): {result.Error}{(result.Reply is null ? string.Empty : $"; server said: {result.Reply}")}; {millis} ms");
            return 1;
        }

        Console.Out.WriteLine($"route:      {chosen}");
        Console.Out.WriteLine($"provider:   {result.Provider}");
        Console.Out.WriteLine($"reply:      {result.Reply}");
        Console.Out.WriteLine($"message-id: {result.MessageId}");
        Console.Out.WriteLine($"time:       {millis} ms");
        return 0;
    }
}
