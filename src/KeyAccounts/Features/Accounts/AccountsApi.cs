using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Accounts;

public static class AccountsApi
{
    public static void MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireAuthorization();
        accounts.MapGet("/", ListAccounts.HandleAsync);
        accounts.MapPost("/", CreateAccount.HandleAsync);
        accounts.MapGet("/export", ExportAccounts.HandleAsync);
        accounts.MapGet("/{id:long}", GetAccount.HandleAsync);
        accounts.MapPut("/{id:long}", UpdateAccount.HandleAsync);
        accounts.MapGet("/{id:long}/hierarchy", AccountHierarchy.HandleAsync);
        accounts.MapGet("/{id:long}/history", AccountHistory.ChangesAsync);
        accounts.MapGet("/{id:long}/owners", AccountHistory.OwnersAsync);
        accounts.MapGet("/{id:long}/shares", AccountSharing.ListAsync);
        accounts.MapPut("/{id:long}/shares", AccountSharing.ShareAsync);
        accounts.MapDelete("/{id:long}/shares/{userId}", AccountSharing.UnshareAsync);
        accounts.MapPost("/transfers", TransferAccounts.HandleAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
    }
}
