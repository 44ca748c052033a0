namespace KeyAccounts.Features.Contacts;

public static class ContactsApi
{
    public static void MapContactsApi(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/v1").WithTags("Contacts").RequireAuthorization();
    }
}
