using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace RadiusEmailOtp.Infrastructure.Email;

/// <summary>
/// An SmtpClient that remembers whether the server accepted MAIL FROM for the current send. Until it has, the message
/// cannot have been handed over, so a failure is safe to retry on a new connection; after it, DATA may have reached
/// the server and a retry could deliver the OTP twice.
/// </summary>
internal sealed class TrackingSmtpClient : SmtpClient
{
    public bool SenderAccepted { get; private set; }

    /// <summary>Every byte of the current message went out (MailKit reports DATA's progress as it writes).</summary>
    public bool MessageHandedOver { get; private set; }

    /// <summary>Mails this session has handed over (MAX_MESSAGES_PER_SESSION counts them).</summary>
    public int MessagesSent { get; private set; }

    public async Task<string> SendTrackedAsync(MimeMessage message, MailboxAddress sender, IEnumerable<MailboxAddress> recipients, CancellationToken cancellationToken)
    {
        SenderAccepted = false;
        MessageHandedOver = false;
        var reply = await SendAsync(message, sender, recipients, cancellationToken, new HandOverProgress(this));
        MessagesSent++;
        return reply;
    }

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        SenderAccepted = true;
        base.OnSenderAccepted(message, mailbox, response);
    }

    private sealed class HandOverProgress(TrackingSmtpClient client) : ITransferProgress
    {
        public void Report(long bytesTransferred, long totalSize)
        {
            if (totalSize > 0 && bytesTransferred >= totalSize)
            {
                client.MessageHandedOver = true;
            }
        }

        // MailKit gives the total whenever it can measure the message; without it, 100 % cannot be told apart.
        public void Report(long bytesTransferred)
        {
        }
    }
}
