using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Api.Http;

/// <summary>Turns refusals into RFC 9457 problem details for the REST API.</summary>
public static class ProblemResults
{
    public static ProblemDetails ToProblem(PortalProblemException problem, HttpContext context)
    {
        var details = problem is ValidationException validation
            ? new HttpValidationProblemDetails(validation.FieldErrors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        details.Status = problem.Status;
        details.Title = problem.Title;
        details.Detail = problem.Message;
        details.Type = problem.Type;
        details.Instance = context.Request.Path;
        foreach (var (name, value) in problem.Extensions) details.Extensions[name] = value;
        details.Extensions["traceId"] = context.TraceIdentifier;
        return details;
    }

    /// <summary>An endpoint filter that answers a <see cref="PortalProblemException"/> with its problem details.</summary>
    public static async ValueTask<object?> CatchProblems(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PortalProblemException problem)
        {
            var details = ToProblem(problem, context.HttpContext);
            return Results.Problem(details);
        }
    }
}
