using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Infrastructure;

namespace KeyAccounts.Features.Approvals;

/// <summary>
/// Who hears of a request through the existing channels: each approver when a decision becomes theirs, the submitter when it is
/// decided, each person copied. Worded in each recipient's language; the link opens the request page.
/// </summary>
public static class ApprovalNotices
{
    private static string T(CultureInfo culture, string template, params object?[] args) =>
        Texts.In(culture, () => string.Format(CultureInfo.CurrentCulture, Texts.For<ApprovalsText>()[template].Value, args));

    private static string Kind(CultureInfo culture, string documentType) => Texts.In(culture, () => Texts.For<ApprovalsText>()[$"DocumentType.{documentType}"].Value);

    public static async Task AssignedAsync(AppDb db, ApprovalRequest request, IReadOnlyCollection<string> approverIds, CancellationToken ct)
    {
        var names = await ApprovalViews.NamesAsync(db, [request.SubmitterId], ct);
        var submitter = request.SubmitterId is { } s ? names.GetValueOrDefault(s) ?? "" : "";
        var languages = await Notify.LanguagesAsync(db, approverIds, ct);
        var step = request.CurrentStep >= 0 && request.CurrentStep < request.Steps.Count ? request.Steps[request.CurrentStep].Name : "";
        await Notify.SendAsync(db, [.. approverIds.Select(a => new Notify.Message(a, NotificationEvent.ApprovalAssigned,
            $"approval:{request.Id}:{request.Round}:{request.CurrentStep}",
            T(languages[a], "{0} awaits your approval: {1}", Kind(languages[a], request.DocumentType), request.Title),
            T(languages[a], "Submitted by {0} · {1} · step {2}: {3}", submitter == "" ? T(languages[a], "The system") : submitter, request.FlowName,
                request.CurrentStep + 1, step),
            $"/approvals/{request.Id}", request.AccountId))], ct);
    }

    public static async Task DecidedAsync(AppDb db, ApprovalRequest request, ApprovalOutcome outcome, CancellationToken ct)
    {
        if (request.SubmitterId is not { } submitter || submitter == outcome.DecidedById) return;
        var names = await ApprovalViews.NamesAsync(db, [outcome.DecidedById], ct);
        var by = names.GetValueOrDefault(outcome.DecidedById) ?? "";
        var culture = (await Notify.LanguagesAsync(db, [submitter], ct))[submitter];
        var title = T(culture, $"Your request was {outcome.State.ToString().ToLowerInvariant()}: {{0}}", request.Title);
        var body = outcome.Reason is { } reason ? T(culture, "{0}: {1}", by, reason) : by;
        await Notify.SendAsync(db, [new Notify.Message(submitter, NotificationEvent.ApprovalDecided, $"approval:{request.Id}:{request.Round}:{outcome.State}",
            title, body, $"/approvals/{request.Id}", request.AccountId)], ct);
    }

    public static async Task CopiedAsync(AppDb db, ApprovalRequest request, IReadOnlyCollection<string> people, string? byId, CancellationToken ct)
    {
        var names = await ApprovalViews.NamesAsync(db, [byId], ct);
        var by = byId is null ? "" : names.GetValueOrDefault(byId) ?? "";
        var languages = await Notify.LanguagesAsync(db, people, ct);
        await Notify.SendAsync(db, [.. people.Select(p => new Notify.Message(p, NotificationEvent.ApprovalCopied, $"approval:{request.Id}:copy",
            T(languages[p], "{0} copied you on: {1}", by, request.Title), Kind(languages[p], request.DocumentType), $"/approvals/{request.Id}", request.AccountId))], ct);
    }
}
