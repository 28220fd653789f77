using System.Net;
using Gorgias.Integration.Application.Options;

namespace Gorgias.Integration.Web;

/// <summary>Checks <see cref="GorgiasWebOptions"/> (section <c>Integration</c>) at start-up, naming every bad key.</summary>
internal sealed class GorgiasWebOptionsValidator : OptionsValidator<GorgiasWebOptions>
{
    /// <inheritdoc />
    public override IReadOnlyList<string> FindProblems(GorgiasWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = GorgiasWebOptions.SectionName;
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(options.PostInstallRedirect) && !Uri.TryCreate(options.PostInstallRedirect, UriKind.RelativeOrAbsolute, out _))
        {
            errors.Add($"{Section}:PostInstallRedirect must be a URL, e.g. /installed or https://app.example/installed.");
        }

        var limit = options.InstallRateLimit;
        if (limit.PermitLimit <= 0)
        {
            errors.Add($"{Section}:InstallRateLimit:PermitLimit must be positive (installs one client may start per window).");
        }

        if (limit.Window <= TimeSpan.Zero || limit.Window > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:InstallRateLimit:Window must be positive and at most 1.00:00:00.");
        }

        for (var i = 0; i < limit.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(limit.KnownProxies[i], out _))
            {
                errors.Add($"{Section}:InstallRateLimit:KnownProxies:{i} is not an IP address: give each proxy's address, such as 10.0.0.5.");
            }
        }

        return errors;
    }
}
