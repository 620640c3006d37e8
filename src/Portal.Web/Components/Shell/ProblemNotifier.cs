using Portal.Api.Http;
using Radzen;

namespace Portal.Web.Components.Shell;

/// <summary>
/// Runs a console action and shows the outcome: the same problem message the REST API would put in
/// its problem details, as a notification a person can read.
/// </summary>
public sealed class ProblemNotifier(NotificationService notifications)
{
    public async Task<bool> TryAsync(Func<Task> action, string? success = null)
    {
        try
        {
            await action();
            if (success is not null) notifications.Notify(NotificationSeverity.Success, success, duration: 4000);
            return true;
        }
        catch (PortalProblemException problem)
        {
            notifications.Notify(NotificationSeverity.Error, problem.Title, problem.Message, duration: 8000);
            return false;
        }
    }
}
