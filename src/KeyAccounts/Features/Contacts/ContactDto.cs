using System.Linq.Expressions;

namespace KeyAccounts.Features.Contacts;

public sealed record ContactDto(
    long Id,
    long AccountId,
    string Name,
    string? Title,
    string? Department,
    BuyingRole Role,
    Attitude Attitude,
    int Influence,
    long? ReportsToId,
    DateOnly? Birthday,
    string? Phone,
    string? Email,
    string? WeChat,
    string? Preferences,
    bool IsActive,
    DateTime UpdatedAt,
    int Version)
{
    public static readonly Expression<Func<Contact, ContactDto>> FromEntity = c => new ContactDto(
        c.Id, c.AccountId, c.Name, c.Title, c.Department, c.Role, c.Attitude, c.Influence, c.ReportsToId, c.Birthday,
        c.Phone, c.Email, c.WeChat, c.Preferences, c.IsActive, c.UpdatedAt, c.Version);
}
