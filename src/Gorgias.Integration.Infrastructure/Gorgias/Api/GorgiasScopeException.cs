using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// A call needs a scope the installation was not granted; nothing was sent. Add the scope to <c>Gorgias:Scopes</c>
/// and have the account's user install the app again to grant it.
/// </summary>
public sealed class GorgiasScopeException : Exception
{
    /// <summary>Creates the exception for <paramref name="account"/> lacking <paramref name="requiredScope"/>.</summary>
    public GorgiasScopeException(AccountName account, string requiredScope)
        : base($"The installation for account '{account}' was not granted the scope '{requiredScope}' this call needs (nor write:all); nothing was sent to Gorgias. Add '{requiredScope}' to Gorgias:Scopes and have the account install the app again.")
    {
        ArgumentNullException.ThrowIfNull(account);
        Account = account;
        RequiredScope = requiredScope;
    }

    /// <summary>Creates the exception with a message.</summary>
    public GorgiasScopeException(string message)
        : base(message)
    {
        Account = AccountName.Parse("unknown");
        RequiredScope = "";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public GorgiasScopeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Account = AccountName.Parse("unknown");
        RequiredScope = "";
    }

    /// <summary>Creates the exception with no detail.</summary>
    public GorgiasScopeException()
        : this("A call needs a scope the installation was not granted.")
    {
    }

    /// <summary>The account whose installation lacks the scope.</summary>
    public AccountName Account { get; }

    /// <summary>The scope the call needs, e.g. <c>tickets:read</c>.</summary>
    public string RequiredScope { get; }
}
