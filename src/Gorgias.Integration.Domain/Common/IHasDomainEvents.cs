namespace Gorgias.Integration.Domain.Common;

/// <summary>An aggregate that records what happened to it until the application publishes it.</summary>
public interface IHasDomainEvents
{
    /// <summary>Events raised since the aggregate was loaded or last cleared.</summary>
    IReadOnlyList<IDomainEvent> DomainEvents { get; }

    /// <summary>Forgets the recorded events, once they have been published.</summary>
    void ClearDomainEvents();
}

/// <summary>Marker for the plain records that describe something that happened in the domain.</summary>
public interface IDomainEvent
{
    /// <summary>When it happened.</summary>
    DateTimeOffset OccurredAt { get; }
}
