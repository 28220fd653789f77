using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration.Infrastructure.Secrets;

/// <summary>
/// Data Protection for the secrets at rest. The key ring must outlive the process: without a configured repository
/// Data Protection falls back to the user profile, which a container loses on redeploy, and then every stored
/// token is unreadable. So outside Development a missing repository stops the start, naming the setting.
/// </summary>
internal static class DataProtectionRegistration
{
    public const string ApplicationName = "Gorgias.Integration";

    public const string KeysPathKey = "DataProtection:KeysPath";

    public const string CertificatePathKey = "DataProtection:Certificate:Path";

    public const string CertificatePasswordKey = "DataProtection:Certificate:Password";

    public static void AddIntegrationDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var hostConfiguredDataProtection = services.Any(d => d.ServiceType == typeof(IDataProtectionProvider));
        var dataProtection = services.AddDataProtection();
        if (!hostConfiguredDataProtection)
        {
            dataProtection.SetApplicationName(ApplicationName);
            dataProtection.UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            });
            var keysPath = configuration[KeysPathKey];
            if (!string.IsNullOrWhiteSpace(keysPath))
            {
                dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
            }

            var certificatePath = configuration[CertificatePathKey];
            if (!string.IsNullOrWhiteSpace(certificatePath))
            {
                if (string.IsNullOrWhiteSpace(keysPath))
                {
                    throw new InvalidOperationException(
                        $"{CertificatePathKey} is set but {KeysPathKey} is not: set {KeysPathKey} to the folder the encrypted keys are kept in.");
                }

                // Also registers the certificate for decryption, so a restarted host reads its keys without a certificate store.
                dataProtection.ProtectKeysWithCertificate(LoadCertificate(certificatePath, configuration[CertificatePasswordKey]));
            }
        }

        services.AddOptions<KeyManagementOptions>()
            .Validate<IServiceProvider>(IsPersistentOrDevelopment, MissingKeyRingMessage)
            .ValidateOnStart();
    }

    private const string MissingKeyRingMessage =
        $"{KeysPathKey} is not set: outside Development the Data Protection keys that encrypt the stored tokens would " +
        "be kept in this user's profile, which a container loses on redeploy, and every stored token would become " +
        $"unreadable. Set {KeysPathKey} to a persistent folder (e.g. a mounted volume; optionally {CertificatePathKey} " +
        "to a PFX that encrypts the keys), or configure Data Protection's key storage yourself " +
        "(services.AddDataProtection().PersistKeysTo…()) before AddGorgiasInfrastructure.";

    // Without a host there is no environment to judge (a test, a tool): nothing is refused then.
    private static bool IsPersistentOrDevelopment(KeyManagementOptions options, IServiceProvider services) =>
        options.XmlRepository is not null
        || services.GetService<IHostEnvironment>() is not { } environment
        || environment.IsDevelopment();

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{CertificatePathKey} ({Path.GetFullPath(path)}) cannot be loaded as a PFX file with {CertificatePasswordKey}: {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{CertificatePathKey} ({Path.GetFullPath(path)}) has no private key: export the PFX with its private key.");
        }

        return certificate;
    }
}
