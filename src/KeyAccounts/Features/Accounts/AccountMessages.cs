using KeyAccounts.Analytics;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace KeyAccounts.Features.Accounts;

/// <summary>The use cases answer in English (the API's language); the screens say the same in the user's language.</summary>
public static class AccountMessages
{
    /// <summary>Why a credit code is refused, checked as the user types; null when it is valid or empty.</summary>
    public static string? CreditCodeError(IStringLocalizer reasons, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : CreditCode.Validate(value)?.In(reasons);

    private static readonly Dictionary<string, string> English = new()
    {
        ["Tier.Key"] = "Key account",
        ["Access.Read"] = "Read only",
        ["Access.ReadWrite"] = "Read and write",
        ["Field.CreditCode"] = "Credit code",
        ["Field.ParentId"] = "Parent account",
        ["Field.OwnerId"] = "Owner",
        ["Field.ArchiveScore"] = "Archive score",
        ["Entity.AccountShare"] = "Share",
        ["Entity.AccountArchive"] = "Archive",
        ["Entity.FollowUpTask"] = "Task",
        ["Entity.FollowUp"] = "Follow-up",
        ["Entity.CareAction"] = "Care action",
        ["Field.DepartmentId"] = "Department",
        ["Field.CreatedById"] = "Created by",
        ["Field.CompletedAt"] = "Completed at",
        ["Field.ContactId"] = "Contact",
        ["Field.EscalatedAt"] = "Escalated at",
        ["Field.EscalatedToId"] = "Escalated to",
        ["Field.ResolvedAt"] = "Resolved at",
        ["Field.RecordedAt"] = "Recorded at",
        ["Field.UserId"] = "User",
        ["Field.BirthdayMonthDay"] = "Birthday",
        ["Field.CooperationMonthDay"] = "Cooperating since",
    };

    /// <summary>
    /// A term with a prefixed key (<c>Tier.Key</c>, <c>Field.Name</c>): its translation, else its English name — the
    /// English UI has no resource file, and a bare key would show as "Tier.Key".
    /// </summary>
    public static string Term(this IStringLocalizer<AccountsText> L, string key)
    {
        var localized = L[key];
        if (!localized.ResourceNotFound) return localized.Value;
        return English.TryGetValue(key, out var english) ? english : key[(key.IndexOf('.') + 1)..];
    }
}
