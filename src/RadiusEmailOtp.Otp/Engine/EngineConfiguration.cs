using RadiusEmailOtp.Otp.Email;
using RadiusEmailOtp.Otp.Realms;
using RadiusEmailOtp.Otp.Users;

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

    private readonly Dictionary<string, EmailTokenSettings> _realmSettings = new(StringComparer.Ordinal);
    private EmailTokenSettings? _localPasswordSettings;

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

    /// <summary>
    /// The resolvers of each realm (<c>[realms."x"] resolvers</c>); null when no realm names any, so every user is a user
    /// of the token table and a login asks no directory.
    /// </summary>
    public UserDirectory? Users { get; init; }

    /// <summary>The <c>[realms."x"]</c> entries: their resolvers (through <see cref="Users"/>) and their own otppin.</summary>
    public IReadOnlyList<RealmEntry> RealmEntries
    {
        get;
        init
        {
            field = value;

            // Per realm, the settings with its own otppin, built once: a request only looks its realm up.
            foreach (var entry in value)
            {
                if (entry.OtpPin is { } mode && mode != Settings.OtpPin)
                {
                    _realmSettings[RealmResolver.NormaliseRealm(entry.Realm)] = Settings with { OtpPin = mode };
                }
            }
        }
    } = [];

    /// <summary>Completes once this configuration was replaced and no request or delivery uses it any more.</summary>
    public Task Retired => _unused.Task;

    internal RealmResolver Realms { get; }

    /// <summary>
    /// The settings of a realm: <c>[email_token]</c> with the realm's own otppin when it sets one. Under otppin =
    /// password a user of the token table keeps the token PIN (<paramref name="directoryUser"/> false).
    /// </summary>
    internal EmailTokenSettings SettingsFor(string realm, bool directoryUser)
    {
        var settings = _realmSettings.GetValueOrDefault(realm, Settings);
        if (settings.OtpPin != OtpPinMode.Password || directoryUser)
        {
            return settings;
        }

        return _localPasswordSettings ??= settings with { OtpPin = OtpPinMode.TokenPin };
    }

    /// <summary>Whether a user of <paramref name="realm"/> is looked up in a directory before the token table is read.</summary>
    internal bool AsksDirectory(string realm) =>
        Users is not null && Users.For(realm) is var resolvers && (resolvers.Count != 1 || resolvers[0].Name != LocalUserResolver.ResolverName);

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
