using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Infrastructure.Storage;

/// <summary>
/// The optimistic-concurrency outcomes both storage adapters report, by the row count their conditional statements
/// return: the same exception and message whichever database lost the race.
/// </summary>
internal static class StoredConflicts
{
    /// <summary>Throws unless the insert of a new installation (version 0) stored a row.</summary>
    public static void InstallationInserted(int rows, AccountName account)
    {
        if (rows == 0)
        {
            throw new ConcurrencyException(
                $"Installation '{account}' already exists: another writer created it first. Load it and decide again.");
        }
    }

    /// <summary>Throws unless the update of the installation at <paramref name="version"/> matched its row.</summary>
    public static void InstallationUpdated(int rows, AccountName account, long version)
    {
        if (rows == 0)
        {
            throw new ConcurrencyException(
                $"Installation '{account}' is no longer at version {version}: another writer " +
                "saved it first (or it was never stored). Load it and decide again.");
        }
    }

    /// <summary>Throws when an uninstall that read no token set finds one stored (<paramref name="present"/> rows).</summary>
    public static void NoTokensUnread(long present, AccountName account)
    {
        if (present != 0)
        {
            throw new ConcurrencyException($"Account '{account}' has tokens the uninstall did not read. Read it again and decide again.");
        }
    }

    /// <summary>Throws unless the delete of the token set the uninstall read, at <paramref name="version"/>, removed it.</summary>
    public static void TokenSetDeleted(int rows, AccountName account, long version)
    {
        if (rows == 0)
        {
            throw new ConcurrencyException(
                $"The token set of '{account}' is no longer at version {version}: it was refreshed or replaced meanwhile. Read it again and decide again.");
        }
    }

    /// <summary>The refresh save of the token set at <paramref name="tokens"/>' version matched no row.</summary>
    public static ConcurrencyException TokenSetNotSaved(TokenSet tokens) => new(
        $"The token set of '{tokens.Account}' is no longer at version {tokens.Version}: another writer saved it " +
        "first (or it was never stored). Reload it and decide again.");

    /// <summary>A refresh failure recorded against the token set at <paramref name="tokens"/>' version matched no row.</summary>
    public static ConcurrencyException FailureNotCounted(TokenSet tokens) => new(
        $"The token set of '{tokens.Account}' is no longer at version {tokens.Version}: it was refreshed, replaced or " +
        "deleted meanwhile, so this failure is not counted. Reload it and decide again.");

    /// <summary>An uninstall would overwrite another queued refresh token, which may still be valid at Gorgias.</summary>
    public static ConcurrencyException AnotherTokenQueued(AccountName account) => new(
        $"Account '{account}' already has another refresh token queued for revocation; it is not overwritten. " +
        "Revoke or retry that one first.");

    /// <summary>The queued revocation <paramref name="read"/> moved on (claimed, revoked or replaced) before its reschedule.</summary>
    public static ConcurrencyException RevocationMovedOn(PendingRevocation read) => new(
        $"The revocation queued for '{read.Account}' is no longer at attempt {read.Attempts}: another worker claimed it, " +
        "or it was revoked or replaced meanwhile. List it again.");

    /// <summary>The queued revocation no longer holds <paramref name="revocation"/>'s token.</summary>
    public static ConcurrencyException RevocationGone(PendingRevocation revocation) => new(
        $"The revocation queued for '{revocation.Account}' no longer holds this token: it was deleted or replaced meanwhile.");
}
