using Portal.Lattice.Control;

namespace Portal.Lattice.Reconciliation;

/// <summary>How long a scaler waits for the events its commands should cause (protocol notes 4.5.8).</summary>
public sealed record BackoffTimings
{
    /// <summary>After component.scale: component_scaled or component_scale_failed (wadm: 5 s).</summary>
    public TimeSpan Component { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After link.put: linkdef_set or linkdef_set_failed (wadm: 5 s).</summary>
    public TimeSpan Link { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After provider.start: provider_started or provider_start_failed (wadm: 60 s; fetching a provider is slow).</summary>
    public TimeSpan Provider { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a failure event keeps its scaler failed before it tries again (wadm: 5 s).</summary>
    public TimeSpan FailureHold { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>An event a sent command should cause, and what answered it.</summary>
public sealed record EventAnswer(string App, string ScalerId, LatticeCommand Command, string EventName, string? HostId, string? Error);

/// <summary>
/// wadm's backoff wrapper as a clock-driven tracker: <see cref="Expect"/> after sending,
/// <see cref="Observe"/> for every event, <see cref="StateOf"/> before reconciling a scaler. Time
/// only moves through the <c>now</c> arguments, so tests drive it with a fake clock. Thread-safe.
/// </summary>
public sealed class ExpectedEvents(BackoffTimings? timings = null)
{
    private readonly BackoffTimings _timings = timings ?? new BackoffTimings();
    private readonly object _gate = new();
    private readonly List<Expectation> _pending = [];
    private readonly Dictionary<string, (string Error, DateTimeOffset Until)> _failures = new(StringComparer.Ordinal);

    private sealed record Expectation(string App, string ScalerId, LatticeCommand Command, string Success, string Failure, string ResourceId, string? HostId, DateTimeOffset Deadline);

    /// <summary>Records what <paramref name="command"/> should cause; commands without a following event are ignored.</summary>
    public void Expect(string app, string scalerId, LatticeCommand command, DateTimeOffset now)
    {
        var expectation = command switch
        {
            ScaleComponent s => new Expectation(app, scalerId, command, LatticeEvents.ComponentScaled, LatticeEvents.ComponentScaleFailed, s.ComponentId, s.Host, now + _timings.Component),
            StartProvider p => new Expectation(app, scalerId, command, LatticeEvents.ProviderStarted, LatticeEvents.ProviderStartFailed, p.ProviderId, p.Host, now + _timings.Provider),
            PutLink l => new Expectation(app, scalerId, command, LatticeEvents.LinkdefSet, LatticeEvents.LinkdefSetFailed, l.Link.SourceId, null, now + _timings.Link),
            _ => null,
        };
        if (expectation is null) return;
        lock (_gate) _pending.Add(expectation);
    }

    /// <summary>
    /// An event from the lattice: answers the expectations it matches (same event, resource id and,
    /// for host commands, host). A failure event puts the scaler in failed with its error for the hold.
    /// </summary>
    public IReadOnlyList<EventAnswer> Observe(string eventName, string? resourceId, string? hostId, string? error, DateTimeOffset now)
    {
        lock (_gate)
        {
            var answered = _pending
                .Where(e => (e.Success == eventName || e.Failure == eventName) && e.ResourceId == resourceId && (e.HostId is null || e.HostId == hostId))
                .ToList();
            var answers = new List<EventAnswer>();
            foreach (var e in answered)
            {
                _pending.Remove(e);
                var failed = e.Failure == eventName;
                answers.Add(new EventAnswer(e.App, e.ScalerId, e.Command, eventName, hostId, failed ? error ?? eventName : null));
                if (!failed) continue;
                _failures[e.ScalerId] = (error ?? eventName, now + _timings.FailureHold);
                // wadm drops the rest of the scaler's expectations: after the hold it simply reconciles again.
                _pending.RemoveAll(p => p.ScalerId == e.ScalerId);
            }

            return answers;
        }
    }

    /// <summary>Waiting while any expectation of the scaler is open and not past its deadline; failed during a failure hold.</summary>
    public Backoff StateOf(string scalerId, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_failures.TryGetValue(scalerId, out var failure))
            {
                if (now < failure.Until) return new Backoff(false, failure.Error);
                _failures.Remove(scalerId);
            }

            _pending.RemoveAll(e => e.Deadline <= now);
            return new Backoff(_pending.Any(e => e.ScalerId == scalerId), null);
        }
    }

    /// <summary>The earliest moment something changes by itself (a deadline or a hold ends), so the engine can wake then.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            lock (_gate)
            {
                return _pending.Select(e => e.Deadline).Concat(_failures.Values.Select(f => f.Until)).DefaultIfEmpty().Min() is var min && min != default ? min : null;
            }
        }
    }

    /// <summary>Drops the expectation of a command that never reached a host.</summary>
    public void Cancel(string scalerId, LatticeCommand command)
    {
        lock (_gate) _pending.RemoveAll(e => e.ScalerId == scalerId && ReferenceEquals(e.Command, command));
    }

    /// <summary>Forgets everything (e.g. after the connection came back and the picture was reseeded).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _pending.Clear();
            _failures.Clear();
        }
    }
}
