using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Accounts;

/// <summary>
/// 交接: hands accounts to successors, one by one or a leaving rep's whole book. The accounts keep their
/// archives, contacts and history; only the owner changes, and each change is recorded with its reason.
/// </summary>
public static class TransferAccounts
{
    public sealed record Request(IReadOnlyList<long>? AccountIds, string? FromUserId, IReadOnlyList<string>? ToUserIds, string? Reason);

    public sealed record Successor(string UserId, string DisplayName, int Received);

    public sealed record Response(int Moved, IReadOnlyList<Successor> Successors);

    public static async Task<Results<Ok<Response>, ValidationProblem>> HandleAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var to = (request.ToUserIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct().ToList();
        if (to.Count == 0) v.Add("toUserIds", $"Name at least one successor.");
        if (string.IsNullOrWhiteSpace(request.Reason)) v.Add("reason", $"Say why the accounts are handed over.");
        else v.MaxLength("reason", request.Reason, 500);
        var hasIds = request.AccountIds is { Count: > 0 };
        if (!hasIds && request.FromUserId.Trimmed() is null) v.Add("accountIds", $"Name the accounts to hand over, or the user whose book moves (fromUserId).");
        var successors = await db.Users.Where(u => to.Contains(u.Id) && u.IsActive).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        if (successors.Count != to.Count) v.Add("toUserIds", $"Every successor must be an active user.");
        if (request.FromUserId.Trimmed() is { } from && to.Contains(from)) v.Add("toUserIds", $"The leaving owner cannot be their own successor.");
        if (!v.IsValid) return v.Problem();

        var book = db.Accounts.EditableBy(db, user);
        if (hasIds) book = book.Where(a => request.AccountIds!.Contains(a.Id));
        if (request.FromUserId.Trimmed() is { } fromUser) book = book.Where(a => a.OwnerId == fromUser);
        var accounts = await book.OrderBy(a => a.Code).ToListAsync(ct);
        if (hasIds && accounts.Count != request.AccountIds!.Distinct().Count())
            return Validation.Single("accountIds", $"Some of these accounts do not exist or you may not hand them over.");

        // Round-robin in code order keeps the successors' books balanced.
        var now = clock.GetUtcNow().UtcDateTime;
        var order = to.Select(id => successors.First(s => s.Id == id)).ToList();
        var received = order.ToDictionary(s => s.Id, _ => 0);
        for (var i = 0; i < accounts.Count; i++)
        {
            var successor = order[i % order.Count].Id;
            accounts[i].TransferTo(successor, request.Reason!.Trim(), now, user.Id);
            received[successor]++;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new Response(accounts.Count, order.Select(s => new Successor(s.Id, s.DisplayName, received[s.Id])).ToList()));
    }
}
