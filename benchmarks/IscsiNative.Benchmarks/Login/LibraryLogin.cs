using System.Reflection;
using IscsiNative.Initiator;

namespace IscsiNative.Benchmarks.Login;

/// <summary>
/// Binds to <c>IscsiInitiator.LoginAsync</c>/<c>LogoutAsync</c> at run time, so the login benchmark builds before
/// the library's kernel login exists and runs once it does, whatever the exact parameter list: parameters are
/// filled by type (portal, target name, session id or the login result, cancellation token, options with defaults).
/// </summary>
internal sealed class LibraryLogin
{
    private readonly IscsiInitiator _initiator;
    private readonly MethodInfo _login;
    private readonly MethodInfo _logout;

    private LibraryLogin(IscsiInitiator initiator, MethodInfo login, MethodInfo logout)
    {
        _initiator = initiator;
        _login = login;
        _logout = logout;
    }

    /// <summary>The signatures bound, for the report.</summary>
    internal string Signature => $"{Describe(_login)}; {Describe(_logout)}";

    /// <summary>Binds, or explains why the library has no kernel login on this build.</summary>
    internal static LibraryLogin? TryCreate(IscsiInitiator initiator, out string reason)
    {
        MethodInfo? login = Pick("LoginAsync");
        MethodInfo? logout = Pick("LogoutAsync");
        if (login is null || logout is null)
        {
            reason = "IscsiInitiator.LoginAsync/LogoutAsync are not on this build (branch `login` not merged yet)";
            return null;
        }

        reason = string.Empty;
        return new LibraryLogin(initiator, login, logout);
    }

    /// <summary>Logs in to one target; returns the login's result (a session or its id).</summary>
    internal async Task<object?> LoginAsync(string portal, string target, CancellationToken ct) =>
        await InvokeAsync(_login, portal, target, null, ct).ConfigureAwait(false);

    /// <summary>Logs out of what <see cref="LoginAsync"/> returned.</summary>
    internal async Task LogoutAsync(string portal, string target, object? session, CancellationToken ct) =>
        await InvokeAsync(_logout, portal, target, session, ct).ConfigureAwait(false);

    private static MethodInfo? Pick(string name) =>
        typeof(IscsiInitiator).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == name && !m.IsGenericMethod)
            .OrderBy(m => m.GetParameters().Count(p => !p.IsOptional))
            .FirstOrDefault();

    private static string Describe(MethodInfo m) =>
        $"{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name + " " + p.Name))})";

    private async Task<object?> InvokeAsync(MethodInfo method, string portal, string target, object? session, CancellationToken ct)
    {
        ParameterInfo[] ps = method.GetParameters();
        object?[] args = new object?[ps.Length];
        for (int i = 0; i < ps.Length; i++)
        {
            args[i] = Bind(ps[i], portal, target, session, ct);
        }

        object? returned = method.Invoke(_initiator, args);
        if (returned is null)
        {
            return null;
        }

        Task task = returned as Task
            ?? (Task)(returned.GetType().GetMethod("AsTask")?.Invoke(returned, null)
                ?? throw new InvalidOperationException($"{method.Name} returned {returned.GetType()}"));
        await task.ConfigureAwait(false);
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }

    private static object? Bind(ParameterInfo p, string portal, string target, object? session, CancellationToken ct)
    {
        Type t = p.ParameterType;
        if (t == typeof(CancellationToken))
        {
            return ct;
        }

        if (session is not null && t.IsInstanceOfType(session))
        {
            return session;
        }

        if (t == typeof(int) && session is not null)
        {
            return session is int sid ? sid : session.GetType().GetProperty("Sid")?.GetValue(session);
        }

        if (t == typeof(string))
        {
            return p.Name?.Contains("portal", StringComparison.OrdinalIgnoreCase) == true ? portal : target;
        }

        if (t.Name == "IscsiPortal")
        {
            return t.GetMethod("Parse", [typeof(string)])!.Invoke(null, [portal]);
        }

        if (p.IsOptional)
        {
            return p.HasDefaultValue ? p.DefaultValue : null;
        }

        if (!t.IsValueType && t.GetConstructor(Type.EmptyTypes) is { } ctor)
        {
            object options = ctor.Invoke(null);
            SetIfPresent(options, "Portal", portal);
            SetIfPresent(options, "TargetName", target);
            return options;
        }

        throw new NotSupportedException($"cannot bind parameter {t.Name} {p.Name}");
    }

    private static void SetIfPresent(object o, string name, string value)
    {
        PropertyInfo? prop = o.GetType().GetProperty(name);
        if (prop?.SetMethod is null)
        {
            return;
        }

        if (prop.PropertyType == typeof(string))
        {
            prop.SetValue(o, value);
        }
        else if (prop.PropertyType.Name == "IscsiPortal")
        {
            prop.SetValue(o, prop.PropertyType.GetMethod("Parse", [typeof(string)])!.Invoke(null, [value]));
        }
    }
}
