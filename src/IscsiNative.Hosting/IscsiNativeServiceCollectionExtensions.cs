using IscsiNative.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the iSCSI session owner service.</summary>
public static class IscsiNativeServiceCollectionExtensions
{
    /// <summary>The name of the registered health check.</summary>
    public const string HealthCheckName = "iscsi";

    /// <summary>
    /// Adds the session owner (<see cref="IscsiSessionOwnerService"/> as a hosted service), its options bound from
    /// <paramref name="configuration"/> (e.g. <c>builder.Configuration.GetSection("IscsiNative")</c>) and validated at
    /// start, the <see cref="IscsiNativeMetrics"/> instruments and the <see cref="IscsiSessionsHealthCheck"/> (name <c>iscsi</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The options section.</param>
    /// <param name="configure">Changes after binding, or null.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddIscsiNative(this IServiceCollection services, IConfiguration configuration, Action<IscsiNativeHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IscsiNativeHostingOptions>().Bind(configuration);
        return Add(services, configure);
    }

    /// <summary>Adds the session owner with options set in code (see the overload taking a configuration).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddIscsiNative(this IServiceCollection services, Action<IscsiNativeHostingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, configure);
    }

    /// <summary>Adds the session owner with the default options (see the overload taking a configuration).</summary>
    /// <param name="services">The services.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddIscsiNative(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Add(services, null);
    }

    private static IServiceCollection Add(IServiceCollection services, Action<IscsiNativeHostingOptions>? configure)
    {
        OptionsBuilder<IscsiNativeHostingOptions> options = services.AddOptions<IscsiNativeHostingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<IscsiNativeHostingOptions>, IscsiNativeHostingOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<IscsiNativeMetrics>();
        services.AddSingleton<IscsiSessionOwnerService>();
        services.AddHostedService(sp => sp.GetRequiredService<IscsiSessionOwnerService>());
        services.AddHealthChecks().AddCheck<IscsiSessionsHealthCheck>(HealthCheckName, HealthStatus.Unhealthy, ["iscsi", "storage"]);
        return services;
    }
}
