using FluentValidation;

namespace Gorgias.Integration.Application.Installations.RunMaintenance;

/// <summary>Bounds a cycle so a bad caller cannot turn it into an unbounded one.</summary>
internal sealed class RunMaintenanceValidator : AbstractValidator<RunMaintenanceCommand>
{
    public RunMaintenanceValidator()
    {
        RuleFor(c => c.Window).GreaterThan(TimeSpan.Zero).LessThanOrEqualTo(TimeSpan.FromHours(12));
        RuleFor(c => c.BatchSize).InclusiveBetween(1, 10_000);
        RuleFor(c => c.MaxParallelism).InclusiveBetween(1, 64);
        RuleFor(c => c.MaxJitter).GreaterThanOrEqualTo(TimeSpan.Zero);
    }
}
