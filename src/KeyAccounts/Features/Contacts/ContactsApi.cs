namespace KeyAccounts.Features.Contacts;

public static class ContactsApi
{
    public static void MapContactsApi(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/v1").WithTags("Contacts").RequireAuthorization();
        contacts.MapGet("/accounts/{id:long}/contacts", ListAccountContacts.HandleAsync);
        contacts.MapPost("/accounts/{id:long}/contacts", CreateContact.HandleAsync);
        contacts.MapGet("/accounts/{id:long}/relationship-map", GetRelationshipMap.HandleAsync);
        contacts.MapGet("/contacts", ListContacts.HandleAsync);
        contacts.MapGet("/contacts/{id:long}", GetContact.HandleAsync);
        contacts.MapPut("/contacts/{id:long}", UpdateContact.HandleAsync);
        contacts.MapDelete("/contacts/{id:long}", DeleteContact.HandleAsync);
    }
}
