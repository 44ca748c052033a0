using KeyAccounts.Data;
using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Accounts;

public static class AccountsSetup
{
    /// <summary>
    /// The accounts' save-time rules (an account's department, <see cref="AccountDepartmentsOnSave"/>; users' books forgotten when
    /// a change to them commits, <see cref="BookChanges"/>) and the books kept in memory (<see cref="BookCache"/>).
    /// </summary>
    public static IServiceCollection AddAccountsData(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration.Provider() == DatabaseProvider.Postgres;
        services.AddSingleton(sp => new BookCache(sp.GetRequiredService<TimeProvider>(), needsListener: postgres));
        services.AddScoped<AccountHistoryLines>();
        services.AddAppDbInterceptor<AccountDepartmentsOnSave>();
        services.AddAppDbInterceptor<BookChanges>();
        if (postgres)
        {
            // Behind PgBouncer in transaction mode a LISTEN goes nowhere: "KeyAccountsListen" then names a direct (or session-mode) connection.
            var listenTo = configuration.GetConnectionString("KeyAccountsListen") is { Length: > 0 } listen
                ? listen
                : DataSetup.PostgresConnectionString(configuration.ConnectionString());
            services.AddHostedService(sp => new BookChangeListener(sp.GetRequiredService<BookCache>(), sp.GetRequiredService<SignInStamps>(), listenTo, sp.GetRequiredService<ILogger<BookChangeListener>>()));
        }
        return services;
    }
}
