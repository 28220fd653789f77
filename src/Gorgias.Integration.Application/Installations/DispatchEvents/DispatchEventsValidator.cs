using FluentValidation;

namespace Gorgias.Integration.Application.Installations.DispatchEvents;

/// <summary>Bounds one dispatch.</summary>
internal sealed class DispatchEventsValidator : AbstractValidator<DispatchEventsCommand>
{
    /// <summary>Defines the rules.</summary>
    public DispatchEventsValidator()
    {
        RuleFor(c => c.MaxRounds).InclusiveBetween(1, 10_000);
    }
}
