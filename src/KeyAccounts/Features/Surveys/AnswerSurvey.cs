using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Surveys;

/// <summary>The public side of a survey: the link's questions, and the one answer it takes. No sign-in: the token is the permission.</summary>
public static class AnswerSurvey
{
    public sealed record Form(string TemplateName, string AccountName, string ContactName, DateTime ExpiresAt, IReadOnlyList<QuestionDto> Questions);

    public sealed record AnswerRequest(long QuestionId, int? Score, string? Text);

    public sealed record Request(IReadOnlyList<AnswerRequest>? Answers);

    public enum LinkState { Open, Unknown, Expired, Used }

    public sealed record Lookup(LinkState State, Form? Form, long InvitationId);

    public static async Task<Lookup> FindAsync(string token, AppDb db, CancellationToken ct)
    {
        var hash = SendSurvey.Hash(token ?? "");
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var invitation = await db.SurveyInvitations.AsNoTracking().Where(i => i.TokenHash == hash)
            .Select(i => new
            {
                i.Id,
                i.ExpiresAt,
                i.AnsweredAt,
                i.TemplateId,
                i.TemplateVersion,
                Template = i.Template!.Name,
                Account = db.Accounts.Where(a => a.Id == i.AccountId).Select(a => a.Name).FirstOrDefault(),
                Contact = db.Contacts.Where(c => c.Id == i.ContactId).Select(c => c.Name).FirstOrDefault(),
            }).FirstOrDefaultAsync(ct);
        if (invitation is null) return new Lookup(LinkState.Unknown, null, 0);
        if (invitation.AnsweredAt is not null) return new Lookup(LinkState.Used, null, invitation.Id);
        if (invitation.ExpiresAt <= now) return new Lookup(LinkState.Expired, null, invitation.Id);
        var questions = await SurveyTemplates.QuestionsOf(db, invitation.TemplateId, invitation.TemplateVersion).OrderBy(q => q.Order)
            .Select(q => new QuestionDto(q.Id, q.Order, q.Kind, q.Text)).ToListAsync(ct);
        return new Lookup(LinkState.Open, new Form(invitation.Template, invitation.Account ?? "", invitation.Contact ?? "", invitation.ExpiresAt, questions), invitation.Id);
    }

    public static async Task<Results<Ok<Form>, NotFound, ProblemHttpResult>> GetAsync(string token, AppDb db, CancellationToken ct)
    {
        var found = await FindAsync(token, db, ct);
        return found.State switch
        {
            LinkState.Open => TypedResults.Ok(found.Form!),
            LinkState.Unknown => TypedResults.NotFound(),
            _ => Gone(found.State),
        };
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult, ValidationProblem>> PostAsync(string token, Request request, AppDb db, CancellationToken ct)
    {
        var result = await SubmitAsync(token, request, db, ct);
        return result.State switch
        {
            LinkState.Unknown => TypedResults.NotFound(),
            LinkState.Expired or LinkState.Used => Gone(result.State),
            _ => result.Errors is { } errors ? TypedResults.ValidationProblem(errors) : TypedResults.NoContent(),
        };
    }

    public sealed record Submission(LinkState State, IReadOnlyDictionary<string, string[]>? Errors);

    /// <summary>Checks every answer, then claims the link (a conditional update: a replay or a racing second submit finds it used) and stores the response, in one transaction.</summary>
    public static async Task<Submission> SubmitAsync(string token, Request request, AppDb db, CancellationToken ct)
    {
        var found = await FindAsync(token, db, ct);
        if (found.State != LinkState.Open) return new Submission(found.State, null);
        var questions = found.Form!.Questions;
        var answers = request.Answers ?? [];
        var v = new Validation();
        foreach (var a in answers.Where(a => questions.All(q => q.Id != a.QuestionId)))
            v.Add($"q{a.QuestionId}", $"This question is not part of the survey.");
        foreach (var q in questions)
        {
            var a = answers.FirstOrDefault(x => x.QuestionId == q.Id);
            var field = $"q{q.Id}";
            switch (q.Kind)
            {
                case QuestionKind.Csat or QuestionKind.Nps when a?.Score is null:
                    v.Add(field, $"Please answer this question.");
                    break;
                case QuestionKind.Csat when a!.Score is < Satisfaction.CsatMin or > Satisfaction.CsatMax:
                    v.Add(field, $"The score must be from 1 to 5.");
                    break;
                case QuestionKind.Nps when a!.Score is < Satisfaction.NpsMin or > Satisfaction.NpsMax:
                    v.Add(field, $"The score must be from 0 to 10.");
                    break;
                case QuestionKind.Text when a?.Text is { Length: > 2000 }:
                    v.Add(field, $"At most 2,000 characters.");
                    break;
            }
        }
        if (!v.IsValid) return new Submission(LinkState.Open, v.Errors);

        var now = db.Clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.SurveyInvitations.Where(i => i.Id == found.InvitationId && i.AnsweredAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AnsweredAt, now), ct);
        if (claimed == 0) return new Submission(LinkState.Used, null);
        var invitation = await db.SurveyInvitations.AsNoTracking().FirstAsync(i => i.Id == found.InvitationId, ct);
        var csat = questions.Where(q => q.Kind == QuestionKind.Csat).Select(q => answers.First(a => a.QuestionId == q.Id).Score!.Value).ToList();
        var nps = questions.Where(q => q.Kind == QuestionKind.Nps).Select(q => answers.First(a => a.QuestionId == q.Id).Score!.Value).ToList();
        var response = new SurveyResponse
        {
            InvitationId = invitation.Id,
            AccountId = invitation.AccountId,
            ContactId = invitation.ContactId,
            AnsweredAt = now,
            Csat = Satisfaction.Csat(csat),
            Nps = nps.Count == 0 ? null : nps[0],
            Answers = [.. questions.Select(q => answers.FirstOrDefault(a => a.QuestionId == q.Id) is { } a
                ? new SurveyAnswer { QuestionId = q.Id, Score = q.Kind == QuestionKind.Text ? null : a.Score, Text = q.Kind == QuestionKind.Text ? a.Text.Trimmed() : null }
                : new SurveyAnswer { QuestionId = q.Id })],
        };
        db.SurveyResponses.Add(response);
        await db.SaveChangesAsync(ct);
        var owner = await db.Accounts.Where(a => a.Id == invitation.AccountId).Select(a => a.OwnerId).FirstAsync(ct);
        var scores = string.Join(", ", new[] { response.Csat is { } c ? $"CSAT {c:0.##}" : null, response.Nps is { } n ? $"NPS {n}" : null }.Where(s => s is not null));
        await Notify.SendAsync(db, [new Notify.Message(owner, NotificationEvent.SurveyAnswered, $"survey:{invitation.Id}",
            scores.Length > 0 ? "{0} ({1}) answered \"{2}\": {3}" : "{0} ({1}) answered \"{2}\"",
            null, $"/accounts/{invitation.AccountId}", invitation.AccountId, [found.Form.ContactName, found.Form.AccountName, found.Form.TemplateName, scores])], ct);
        await transaction.CommitAsync(ct);
        return new Submission(LinkState.Open, null);
    }

    private static ProblemHttpResult Gone(LinkState state) => TypedResults.Problem(statusCode: StatusCodes.Status410Gone,
        title: state == LinkState.Used ? "This survey link has already been used." : "This survey link has expired.",
        detail: state == LinkState.Used ? "Each link takes one answer; the answer given is kept." : "Ask your account manager for a new link.");
}
