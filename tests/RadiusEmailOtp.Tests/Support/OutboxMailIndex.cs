using System.Collections.Concurrent;

namespace RadiusEmailOtp.Tests.Support;

/// <summary>
/// Hands each mail of an outbox to the login chain of its recipient exactly once (load tests where many users log in
/// at once and each must answer with the code of its own mail).
/// </summary>
internal sealed class OutboxMailIndex(Outbox outbox)
{
    private readonly ConcurrentDictionary<string, byte> _taken = new();

    /// <summary>The OTP of the next mail to <paramref name="email"/> not handed out yet; null after about 2 s without one.</summary>
    public async Task<string?> NextOtpAsync(string email, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            foreach (var file in outbox.Files())
            {
                if (!_taken.ContainsKey(file) && MimeKit.MimeMessage.Load(file).To.Mailboxes.Single().Address == email && _taken.TryAdd(file, 0))
                {
                    return Outbox.ReadOtp(file);
                }
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return null;
    }
}
