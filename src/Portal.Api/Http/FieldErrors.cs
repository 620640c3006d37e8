namespace Portal.Api.Http;

/// <summary>Collects field errors while validating a request; throws them together.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public FieldErrors When(bool condition, string field, string message) => condition ? Add(field, message) : this;

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new ValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
