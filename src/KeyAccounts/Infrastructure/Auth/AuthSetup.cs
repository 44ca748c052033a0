using System.Security.Cryptography.X509Certificates;
using KeyAccounts.Data;
using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace KeyAccounts.Infrastructure.Auth;

public static class AuthSetup
{
    public const string CookieOrBearer = "CookieOrBearer";

    public static IServiceCollection AddKeyAccountsAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
        services.AddCascadingAuthenticationState();

        // Keys in the database: cookies and tokens stay valid across restarts and across several app servers.
        var protection = services.AddDataProtection().SetApplicationName("KeyAccounts").PersistKeysToDbContext<AppDb>();
        // With a certificate the key ring is encrypted at rest: the database (and its backups) alone no longer forge cookies or reveal robot secrets.
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
            protection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(certificatePath, configuration["DataProtection:CertificatePassword"]));
        services.AddKeyAccountsSignInLimits(configuration);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, CookieOrBearer, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(8);
                o.Events.OnMessageReceived = RevokedSignIns.RejectRevokedTokenAsync;
            })
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.Cookie.Name = "KeyAccounts.Auth";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Events.OnValidatePrincipal = RevokedSignIns.ValidateCookieAsync;
            // The API answers 401/403; only pages redirect to the sign-in form.
            o.Events.OnRedirectToLogin = c => Answer(c.HttpContext, c.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Answer(c.HttpContext, c.RedirectUri, StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDb>()
            .AddUserManager<StampedUserManager>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddMemoryCache();
        services.AddSingleton<SignInStamps>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingSignIns>();
        // Revoked cookies are refused at once by RevokedSignIns; this only refreshes a cookie's claims now and then.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorizationBuilder().AddKeyAccountsPolicies();
        return services;
    }

    private static Task Answer(HttpContext http, string redirectUri, int status)
    {
        if (http.Request.Path.StartsWithSegments("/api")) http.Response.StatusCode = status;
        else http.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }

    /// <summary>The bearer token options, to issue tokens in the shape API.md fixes.</summary>
    public static BearerTokenOptions BearerOptions(this IServiceProvider sp) =>
        sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
}

/// <summary>Blazor circuits have no HttpContext: give the circuit's scope its signed-in user.</summary>
public sealed class CurrentUserCircuitHandler(AuthenticationStateProvider auth, CurrentUser user) : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        user.Principal = (await auth.GetAuthenticationStateAsync()).User;
        auth.AuthenticationStateChanged += OnChanged;
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken) =>
        user.Principal = (await auth.GetAuthenticationStateAsync()).User;

    private async void OnChanged(Task<AuthenticationState> state) => user.Principal = (await state).User;

    public void Dispose() => auth.AuthenticationStateChanged -= OnChanged;
}
