using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Options;

/// <summary>
/// Checks <see cref="GorgiasOptions"/> when a host starts (ValidateOnStart), so an embedding app with a missing
/// client secret or a malformed URL template fails at start-up with every key named, not at the first install.
/// </summary>
internal sealed class GorgiasOptionsValidator : IValidateOptions<GorgiasOptions>
{
    public ValidateOptionsResult Validate(string? name, GorgiasOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
