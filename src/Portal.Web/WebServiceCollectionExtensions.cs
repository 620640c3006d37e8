using Radzen;

namespace Portal.Web;

internal static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        services.AddHttpContextAccessor();
        return services;
    }
}
