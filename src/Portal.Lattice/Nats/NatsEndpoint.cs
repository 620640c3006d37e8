namespace Portal.Lattice.Nats;

/// <summary>Where and as whom to connect: the URL's host and port, credentials from the options or else the URL.</summary>
internal sealed record NatsEndpoint(string Host, int Port, string? User, string? Password, string? Token)
{
    public static NatsEndpoint Parse(NatsOpts opts)
    {
        var url = opts.Url.Contains("://", StringComparison.Ordinal) ? opts.Url : "nats://" + opts.Url;
        var uri = new Uri(url);
        string? user = null, password = null, token = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                user = Uri.UnescapeDataString(parts[0]);
                password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                token = Uri.UnescapeDataString(parts[0]);
            }
        }

        return new NatsEndpoint(
            uri.Host,
            uri.IsDefaultPort || uri.Port <= 0 ? 4222 : uri.Port,
            opts.User ?? user,
            opts.Password ?? password,
            opts.Token ?? token);
    }
}
