using FluentValidation;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.BeginInstall;
using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Application.Installations.RetryRevocations;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests.Validation;

/// <summary>Invalid input of a use case comes back as its Result's validation error, naming every bad field.</summary>
public sealed class ValidationResultTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly SharedStorage _storage = new();
    private SandboxServer _sandbox = null!;
    private IntegrationCore _core = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, _time);
        _core = IntegrationCore.Create(_sandbox, _storage, _time);
    }

    [Fact]
    public async Task Callback_WithSeveralBadFields_IsOneValidationErrorNamingEachOfThem()
    {
        var result = await _core.SendAsync(new CompleteAuthorizationCommand("acme.evil.com", State: null, Code: null, Error: null, BrowserId: "b"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        Assert.Equal("invalid_request", result.Error.Code);
        Assert.Equal(["account", "state", "code"], result.Error.Fields);
        Assert.Contains("The state is missing.", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of 'code' and 'error'", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _sandbox.Monitor.TokenRequests);
    }

    [Fact]
    public async Task BeginInstall_WithAMalformedAccount_IsAValidationErrorAndStoresNothing()
    {
        var result = await _core.SendAsync(new BeginInstallCommand("acme@evil", "browser"));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(["account"], result.Error?.Fields);
        Assert.Contains("'@'", result.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme", "", new[] { "browserId" })]
    [InlineData("acme", null, new[] { "browserId" })]
    [InlineData("-acme", "", new[] { "account", "browserId" })]
    public async Task BeginInstall_WithoutAUsableBrowserSecret_NamesEveryBadField(string account, string? browserId, string[] fields)
    {
        var tooLong = new string('b', BeginInstallHandler.MaxBrowserIdLength + 1);
        string?[] secrets = browserId == "" ? ["", tooLong] : [browserId];
        foreach (var secret in secrets)
        {
            var result = await _core.SendAsync(new BeginInstallCommand(account, secret!));

            Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
            Assert.Equal(fields, result.Error?.Fields);
            Assert.Contains("The browser id must be 1 to 256 characters.", result.Error?.Message, StringComparison.Ordinal);
        }

        // The longest accepted secret starts an install.
        Assert.True((await _core.SendAsync(new BeginInstallCommand(account.TrimStart('-'), new string('b', BeginInstallHandler.MaxBrowserIdLength)))).IsSuccess);
    }

    [Fact]
    public async Task InternalCommand_WithInvalidInput_StillThrowsBecauseItIsAProgrammingError()
    {
        // The worker's command answers no Result: nothing could carry the error, so a bad batch size fails loudly.
        await Assert.ThrowsAsync<ValidationException>(() => _core.SendAsync(new RetryPendingRevocationsCommand(MaxCount: 0)));
    }

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        await _sandbox.DisposeAsync();
        _storage.Dispose();
    }
}
