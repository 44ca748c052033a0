using System.Linq.Expressions;

namespace KeyAccounts.Features.Accounts;

public sealed record AccountDto(
    long Id,
    string Code,
    string Name,
    AccountType Type,
    string? Industry,
    string? Province,
    string? City,
    string? CreditCode,
    long? ParentId,
    string? ParentName,
    string OwnerId,
    string? OwnerName,
    Tier Tier,
    AccountStatus Status,
    int ArchiveScore,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version)
{
    public static readonly Expression<Func<Account, AccountDto>> FromEntity = a => new AccountDto(
        a.Id, a.Code, a.Name, a.Type, a.Industry, a.Province, a.City, a.CreditCode, a.ParentId,
        a.Parent != null ? a.Parent.Name : null, a.OwnerId, a.Owner != null ? a.Owner.DisplayName : null,
        a.Tier, a.Status, a.ArchiveScore, a.CreatedAt, a.UpdatedAt, a.Version);
}
