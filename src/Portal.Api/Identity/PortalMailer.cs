using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.Api.Identity;

/// <summary>A message the portal sends a person: password-reset links, invitations.</summary>
public sealed record OutgoingMail(string To, string Subject, string Body, string? Link, DateTimeOffset SentAt);

/// <summary>Sends mail. Replace the registration to use a real mail server.</summary>
public interface IPortalMailer
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

/// <summary>
/// The default mailer for machines without a mail server: writes each message to the log and
/// keeps the latest ones for platform admins to read in the console (Admin → Outbox).
/// </summary>
public sealed class LogOutboxMailer(ILogger<LogOutboxMailer> logger) : IPortalMailer
{
    private const int Keep = 200;
    private static readonly ConcurrentQueue<OutgoingMail> Messages = new();

    public IReadOnlyList<OutgoingMail> Recent => Messages.Reverse().ToList();

    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Mail to {To}: {Subject} {Link}", mail.To, mail.Subject, mail.Link);
        Messages.Enqueue(mail);
        while (Messages.Count > Keep) Messages.TryDequeue(out _);
        return Task.CompletedTask;
    }
}
