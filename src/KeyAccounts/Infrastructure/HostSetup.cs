using System.Globalization;
using KeyAccounts.Components;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Approvals;
using KeyAccounts.Features.Archives;
using KeyAccounts.Features.Auth;
using KeyAccounts.Features.Calendar;
using KeyAccounts.Features.Care;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Home;
using KeyAccounts.Features.Imports;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Policies;
using KeyAccounts.Features.Receivables;
using KeyAccounts.Features.Surveys;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Features.Visits;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Formatting.Compact;

namespace KeyAccounts.Infrastructure;

public static class HostSetup
{
    public static readonly CultureInfo[] Cultures = Texts.Cultures;

    public static WebApplicationBuilder AddKeyAccounts(this WebApplicationBuilder builder)
    {
        // Outside Development a build (not a publish) serves its own and MudBlazor's assets only with this; a published app has no manifest and it does nothing.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSerilog((services, log) =>
        {
            log.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
            // A person reads the console; a log collector reads JSON lines (Logging:Format=json).
            if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
                log.WriteTo.Console(new RenderedCompactJsonFormatter());
            else
                log.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<UserTimeZone>();
        services.AddKeyAccountsData(builder.Configuration);
        services.AddAccountsData(builder.Configuration);
        services.AddKeyAccountsAuth(builder.Configuration);
        services.AddKeyAccountsJobs(builder.Configuration);
        services.AddKeyAccountsNotifications(builder.Configuration);
        services.AddApprovals();
        services.AddProblemDetails();
        services.AddKeyAccountsImports(ImportAccounts.Kind, ImportContacts.Kind, ImportOrders.Kind, ImportInvoices.Kind, ImportPayments.Kind, ImportQualityIncidents.Kind);
        services.AddKeyAccountsOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        services.AddHealthChecks().AddDbContextCheck<AppDb>("database");
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory, TermLocalizerFactory>());
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Texts.DefaultCulture);
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
            o.FallBackToParentUICultures = true;
            o.FallBackToParentCultures = true;
        });
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddTransient<MudBlazor.MudLocalizer, MudBlazorText>();
        return builder;
    }

    /// <summary>Migrations and the first administrator: run at start-up on every provider.</summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        RuntimeTuning.WarnIfUntuned(app.Logger);
        await app.Services.MigrateAsync();
        await ChannelSecrets.ProtectPlainTextAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        await Bootstrap.EnsureAdministratorAsync(scope.ServiceProvider, app.Configuration, app.Logger);
        await StandardModel.InstallIfNoModelAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
        await ApprovalFlows.InstallDefaultsAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
    }

    public static WebApplication UseKeyAccounts(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseSerilogRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseSignInLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/healthz");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("KeyAccounts API").WithOpenApiRoutePattern("/openapi/{documentName}.json").DisableDefaultFonts());
        // The whole API in one group, so that what every endpoint is sent is checked once, before its handler (TextInput).
        var api = app.MapGroup("").CheckTextInput();
        api.MapAuthApi();
        api.MapOrganisationApi();
        api.MapAccountsApi();
        api.MapArchivesApi();
        api.MapContactsApi();
        api.MapImportsApi();
        api.MapTransactionsApi();
        api.MapEvaluationApi();
        api.MapVisitsApi();
        api.MapTasksApi();
        api.MapFollowUpsApi();
        api.MapCalendarApi();
        api.MapNotificationsApi();
        api.MapCareApi();
        api.MapComplaintsApi();
        api.MapReceivablesApi();
        api.MapSurveysApi();
        api.MapHomeApi();
        KeyAccounts.Features.Quotes.QuotesApi.MapQuotesApi(api);
        api.MapApprovalsApi();
        api.MapPoliciesApi();
        app.MapCultureEndpoint();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static void MapCultureEndpoint(this WebApplication app) =>
        app.MapGet("/culture/set", async (string culture, string? redirectUri, HttpContext http, UserManager<AppUser> users) =>
        {
            if (Cultures.Any(c => c.Name == culture))
            {
                SetCultureCookie(http, culture);
                // A signed-in user's choice is theirs on every device, and their notifications are worded in it.
                if (http.User.Identity?.IsAuthenticated == true && await users.GetUserAsync(http.User) is { } user)
                    await UserLanguage.SetAsync(users, user, culture);
            }
            // Only back to a page of this site: "//host" or "/\host" would leave it, and LocalRedirect throws on them.
            return Results.Redirect(SecurityHeaders.IsLocalUrl(redirectUri) ? redirectUri! : "/");
        }).ExcludeFromDescription();

    public static void SetCultureCookie(HttpContext http, string culture) =>
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps });
}
