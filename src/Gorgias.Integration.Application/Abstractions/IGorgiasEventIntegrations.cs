using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>An account's HTTP integrations at Gorgias (<c>/api/integrations</c>), with the account's token.</summary>
public interface IGorgiasEventIntegrations
{
    /// <summary>The integration with <paramref name="id"/>, or null when Gorgias has none (deleted).</summary>
    Task<HttpIntegrationState?> FindAsync(AccountName account, long id, CancellationToken cancellationToken);

    /// <summary>The HTTP integration named <paramref name="name"/>, or null.</summary>
    Task<HttpIntegrationState?> FindByNameAsync(AccountName account, string name, CancellationToken cancellationToken);

    /// <summary>Creates the integration; returns its id.</summary>
    Task<long> CreateAsync(AccountName account, HttpIntegrationSpec spec, CancellationToken cancellationToken);

    /// <summary>Replaces the integration's settings and clears its deactivation.</summary>
    Task UpdateAsync(AccountName account, long id, HttpIntegrationSpec spec, CancellationToken cancellationToken);

    /// <summary>Deletes the integration; one already gone counts as deleted.</summary>
    Task DeleteAsync(AccountName account, long id, CancellationToken cancellationToken);
}

/// <summary>What the app asks Gorgias to call for one trigger.</summary>
/// <param name="Name">The integration's name in Gorgias.</param>
/// <param name="Url">The receiver's URL for the account.</param>
/// <param name="Headers">Headers sent with each call (the secret among them).</param>
/// <param name="Form">The JSON body's fields; values are Gorgias templates such as <c>{{ticket.id}}</c>.</param>
/// <param name="Trigger">The trigger, e.g. <c>ticket-created</c>.</param>
public sealed record HttpIntegrationSpec(string Name, Uri Url, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Form, string Trigger)
{
    /// <summary>Never prints the headers (the secret is one of them).</summary>
    public override string ToString() => $"HttpIntegrationSpec {{ Name = {Name}, Url = {Url}, Trigger = {Trigger} }}";
}

/// <summary>An integration as Gorgias reports it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Deactivated">True when Gorgias deactivated it (e.g. after 100 failed calls in a row).</param>
public sealed record HttpIntegrationState(long Id, string Name, bool Deactivated);
