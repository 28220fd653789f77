using Mediator;

namespace Gorgias.Integration.Application.Installations.RetryRevocations;

/// <summary>
/// Retries the revocations that failed during an uninstall and are due now: a refresh token still valid at Gorgias
/// is never forgotten, and is wiped as soon as Gorgias confirms its revocation.
/// </summary>
/// <param name="MaxCount">At most this many in one run.</param>
public sealed record RetryPendingRevocationsCommand(int MaxCount = 100) : ICommand<RetryPendingRevocationsResult>;

/// <summary>What a retry run did.</summary>
/// <param name="Revoked">Revocations Gorgias confirmed (tokens wiped).</param>
/// <param name="StillPending">Revocations that failed again and were rescheduled.</param>
public sealed record RetryPendingRevocationsResult(int Revoked, int StillPending);
