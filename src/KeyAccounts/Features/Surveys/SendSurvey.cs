using System.Security.Cryptography;
using System.Text;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Surveys;

/// <summary>Sends a survey to some of an account's contacts: one personal link each, shown once (only its hash is stored).</summary>
public static class SendSurvey
{
    public sealed record Request(long TemplateId, IReadOnlyList<long>? ContactIds, int? ValidDays);

    public sealed record Link(long InvitationId, long ContactId, string Url, DateTime ExpiresAt);

    public sealed record Response(IReadOnlyList<Link> Links);

    public const int DefaultValidDays = 14;

    public static async Task<Results<Created<Response>, NotFound, ForbidHttpResult, ValidationProblem>> HandleAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == id, ct)) return TypedResults.Forbid();
        var v = new Validation();
        var template = await db.SurveyTemplates.AsNoTracking().Where(t => t.Id == request.TemplateId).Select(t => new { t.Version, t.RetiredAt }).FirstOrDefaultAsync(ct);
        if (template is null) v.Add("templateId", $"There is no such survey template.");
        else if (template.RetiredAt is not null) v.Add("templateId", $"This survey template is retired: choose another.");
        var contactIds = (request.ContactIds ?? []).Distinct().ToList();
        if (contactIds.Count == 0) v.Add("contactIds", $"Choose at least one person to ask.");
        else if (await db.Contacts.CountAsync(c => contactIds.Contains(c.Id) && c.AccountId == id, ct) != contactIds.Count)
            v.Add("contactIds", $"Every person must be one of this account's contacts.");
        var days = request.ValidDays ?? DefaultValidDays;
        if (days is < 1 or > 90) v.Add("validDays", $"validDays must be between 1 and 90.");
        if (!v.IsValid) return v.Problem();

        var now = clock.GetUtcNow().UtcDateTime;
        var sent = contactIds.Select(contactId =>
        {
            var token = NewToken();
            return (Token: token, Invitation: new SurveyInvitation
            {
                TemplateId = request.TemplateId,
                TemplateVersion = template!.Version,
                AccountId = id,
                ContactId = contactId,
                TokenHash = Hash(token),
                SentById = user.Id,
                SentAt = now,
                ExpiresAt = now.AddDays(days),
            });
        }).ToList();
        db.SurveyInvitations.AddRange(sent.Select(s => s.Invitation));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/accounts/{id}/survey-responses",
            new Response([.. sent.Select(s => new Link(s.Invitation.Id, s.Invitation.ContactId, PublicPath(s.Token), s.Invitation.ExpiresAt))]));
    }

    public static string PublicPath(string token) => $"/s/{token}";

    /// <summary>256 random bits, URL-safe: not guessable, so the link alone is the permission to answer.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
