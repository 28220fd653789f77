using System.Net;
using System.Text.Json;
using FluentValidation;
using Gorgias.Integration.Application.Installations.GetGorgiasAccount;
using Gorgias.Integration.Application.Installations.GetInstallation;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gorgias.Integration.Web.Tests;

/// <summary>Malformed input travels as a <c>Result</c> error, mapped to HTTP in one place; it is never a 500.</summary>
public sealed class ValidationChannelTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/installations/acme.evil.com" },
        { "POST", "/installations/acme.evil.com/refresh" },
        { "DELETE", "/installations/acme.evil.com" },
        { "GET", "/installations/acme.evil.com/gorgias/account" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_WithAMalformedAccount_AnswersProblemJsonThatNamesTheField(string method, string path)
    {
        using var admin = _host.CreateAdmin();

        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(["account"], problem.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_WhenNoValidatorRuns_StillAnswers400AndNever500(string method, string path)
    {
        // The handler parses the account through the same rule: without its validator, bad input is still a 400.
        using var bypassed = _host.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IValidator<GetInstallationQuery>>();
            services.RemoveAll<IValidator<RefreshTokenCommand>>();
            services.RemoveAll<IValidator<UninstallCommand>>();
            services.RemoveAll<IValidator<GetGorgiasAccountQuery>>();
        }));
        using var admin = bypassed.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        admin.DefaultRequestHeaders.Authorization = new("Bearer", IntegrationHost.AdminKey);

        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Gorgias account", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _host.Dispose();
}
