using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Realms;

namespace RadiusEmailOtp.Otp.Engine;

/// <summary>
/// What the engine reads per request, frozen together: token settings, realm rules, the route selector (policies) and
/// the mail sender (providers, templates). A reload swaps the whole object at once (<see cref="OtpEngine.Reconfigure"/>);
/// each request takes the current one when it starts and keeps it to the end, mail deliveries included, so a request
/// never mixes two configurations. <see cref="Retired"/> tells the host when the providers of a replaced one may close.
/// </summary>
public sealed class EngineConfiguration
{
    private readonly TaskCompletionSource _unused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One reference belongs to the engine while this is its current configuration; each request and each mail
    // delivery adds one. Zero means retired and unused: it can never be entered again.
    private int _users = 1;

    /// <summary>Freezes the settings and ports a request needs.</summary>
    public EngineConfiguration(EmailTokenSettings settings, RealmSettings realm, IOtpMailSender mailSender, IEmailRouteSelector routeSelector)
    {
        Settings = settings;
        Realm = realm;
        Realms = new RealmResolver(realm);
        MailSender = mailSender;
        RouteSelector = routeSelector;
    }

    /// <summary>The <c>[email_token]</c> settings.</summary>
    public EmailTokenSettings Settings { get; }

    /// <summary>The <c>[realm]</c> settings.</summary>
    public RealmSettings Realm { get; }

    /// <summary>Sends the OTP mails through the configured providers.</summary>
    public IOtpMailSender MailSender { get; }

    /// <summary>Picks a request's providers and prompt by policy.</summary>
    public IEmailRouteSelector RouteSelector { get; }

    /// <summary>Completes once this configuration was replaced and no request or delivery uses it any more.</summary>
    public Task Retired => _unused.Task;

    internal RealmResolver Realms { get; }

    /// <summary>Takes a reference unless the configuration is already retired and unused.</summary>
    internal bool TryEnter()
    {
        var users = Volatile.Read(ref _users);
        while (users > 0)
        {
            var seen = Interlocked.CompareExchange(ref _users, users + 1, users);
            if (seen == users)
            {
                return true;
            }

            users = seen;
        }

        return false;
    }

    /// <summary>Gives a reference back; the last one completes <see cref="Retired"/>.</summary>
    internal void Leave()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            _unused.TrySetResult();
        }
    }

    /// <summary>Runs work that may outlive the request (a mail delivery) under a reference of its own. Call while holding one.</summary>
    internal async Task<T> HoldWhileAsync<T>(Func<Task<T>> work)
    {
        Interlocked.Increment(ref _users);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            Leave();
        }
    }
}
