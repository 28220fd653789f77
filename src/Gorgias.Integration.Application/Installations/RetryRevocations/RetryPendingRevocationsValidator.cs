using FluentValidation;

namespace Gorgias.Integration.Application.Installations.RetryRevocations;

/// <summary>Shape checks for <see cref="RetryPendingRevocationsCommand"/>: a bounded batch.</summary>
internal sealed class RetryPendingRevocationsValidator : AbstractValidator<RetryPendingRevocationsCommand>
{
    /// <summary>The largest batch one run may take.</summary>
    public const int MaxBatch = 1000;

    /// <summary>Defines the rules.</summary>
    public RetryPendingRevocationsValidator() =>
        RuleFor(c => c.MaxCount).InclusiveBetween(1, MaxBatch).WithMessage($"MaxCount must be between 1 and {MaxBatch}.");
}
