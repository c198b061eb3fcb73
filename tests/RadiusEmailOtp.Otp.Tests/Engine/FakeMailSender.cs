using RadiusEmailOtp.Otp.Email;

namespace RadiusEmailOtp.Otp.Tests.Engine;

/// <summary>Records every mail; by default a provider "outbox" accepts it at once. <see cref="Behaviour"/> can fail or stall.</summary>
public sealed class FakeMailSender : IOtpMailSender
{
    private readonly List<OtpMailRequest> _requests = [];
    private int _sent;

    public Func<OtpMailRequest, Task<MailDeliveryResult>>? Behaviour { get; set; }

    /// <summary>Runs when a mail is handed over, before it "leaves" (to look at the store at that moment).</summary>
    public Func<OtpMailRequest, Task>? OnSend { get; set; }

    public IReadOnlyList<OtpMailRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public EmailRoute? LastRoute { get; private set; }

    public async Task<MailDeliveryResult> SendAsync(OtpMailRequest request, EmailRoute route, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }

        LastRoute = route;
        if (OnSend is not null)
        {
            await OnSend(request);
        }

        if (Behaviour is not null)
        {
            return await Behaviour(request);
        }

        var n = Interlocked.Increment(ref _sent);
        return new MailDeliveryResult(true, route.Providers[0], $"<{n}@test>", "250 OK", null, TimeSpan.FromMilliseconds(1));
    }

    public static MailDeliveryResult Failed(string provider = "outbox") =>
        new(false, provider, null, "554 rejected", "554 rejected", TimeSpan.FromMilliseconds(1));
}
