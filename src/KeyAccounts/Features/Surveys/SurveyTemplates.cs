using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Surveys;

public sealed record QuestionDto(long Id, int Order, QuestionKind Kind, string Text);

/// <summary>A template with its current questions; <c>Sent</c> counts the surveys sent with any of its versions.</summary>
public sealed record TemplateDto(long Id, string Name, IReadOnlyList<QuestionDto> Questions, int Version = 1, DateTime? RetiredAt = null, int Sent = 0);

/// <summary>Survey templates: listed for everyone who sends surveys, designed, edited and retired by managers and above.</summary>
public static class SurveyTemplates
{
    public const int MaxQuestions = 50;

    /// <summary>A question as submitted: <paramref name="Id"/> names a current question being kept (or changed), null a new one.</summary>
    public sealed record QuestionRequest(QuestionKind? Kind, string? Text, long? Id = null);

    public sealed record Request(string? Name, IReadOnlyList<QuestionRequest>? Questions, int? Version = null);

    /// <summary>The questions a template asked at a version.</summary>
    public static IQueryable<SurveyQuestion> QuestionsOf(AppDb db, long templateId, int version) =>
        db.SurveyQuestions.Where(q => q.TemplateId == templateId && q.FromVersion <= version && (q.ToVersion == null || q.ToVersion > version));

    private static IQueryable<TemplateDto> Project(AppDb db, IQueryable<SurveyTemplate> templates) => templates.Select(t => new TemplateDto(
        t.Id, t.Name,
        t.Questions.Where(q => q.ToVersion == null).OrderBy(q => q.Order).Select(q => new QuestionDto(q.Id, q.Order, q.Kind, q.Text)).ToList(),
        t.Version, t.RetiredAt, db.SurveyInvitations.Count(i => i.TemplateId == t.Id)));

    /// <summary>The templates that can be sent now, for the pickers (at most 200, by name).</summary>
    public static async Task<Ok<List<TemplateDto>>> ListAsync(AppDb db, CancellationToken ct) =>
        TypedResults.Ok(await Project(db, db.SurveyTemplates.Where(t => t.RetiredAt == null).OrderBy(t => t.Name).ThenBy(t => t.Id).Take(200)).ToListAsync(ct));

    public static async Task<Ok<Paged<TemplateDto>>> PageAsync(string? q, bool? retired, int? page, int? pageSize, AppDb db, CancellationToken ct)
    {
        var templates = db.SurveyTemplates.AsQueryable();
        if (q.Trimmed() is { } text) templates = templates.Where(t => t.Name.Contains(text));
        if (retired is { } r) templates = r ? templates.Where(t => t.RetiredAt != null) : templates.Where(t => t.RetiredAt == null);
        return TypedResults.Ok(await Project(db, templates.OrderBy(t => t.RetiredAt != null).ThenBy(t => t.Name).ThenBy(t => t.Id)).ToPagedAsync(page, pageSize, ct));
    }

    public static Task<TemplateDto?> FindAsync(long id, AppDb db, CancellationToken ct) =>
        Project(db, db.SurveyTemplates.Where(t => t.Id == id)).FirstOrDefaultAsync(ct);

    public static async Task<Results<Ok<TemplateDto>, NotFound>> GetAsync(long id, AppDb db, HttpContext? http, CancellationToken ct)
    {
        if (await FindAsync(id, db, ct) is not { } template) return TypedResults.NotFound();
        if (http is not null) http.Response.Headers.ETag = ETags.For(template.Version);
        return TypedResults.Ok(template);
    }

    private static async Task<Validation> ValidateAsync(Request request, long? id, IReadOnlyCollection<long> currentIds, AppDb db, CancellationToken ct)
    {
        var v = new Validation().Require("name", request.Name, 200);
        var name = request.Name.Trimmed();
        if (name is not null && await db.SurveyTemplates.AnyAsync(t => t.Name == name && t.RetiredAt == null && t.Id != id, ct))
            v.Add("name", $"Another survey template in use has this name.");
        var questions = request.Questions ?? [];
        if (questions.Count == 0) v.Add("questions", $"A survey needs at least one question.");
        if (questions.Count > MaxQuestions) v.Add("questions", $"A survey has at most 50 questions.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            if (q.Kind is not { } kind || !Enum.IsDefined(kind)) v.Add($"questions[{i}].kind", $"Choose the kind of question.");
            v.Require($"questions[{i}].text", q.Text, 500);
            if (q.Text.Trimmed() is { } text && !seen.Add(text)) v.Add($"questions[{i}].text", $"Two questions have the same text.");
            if (q.Id is { } qid && !currentIds.Contains(qid)) v.Add($"questions[{i}].id", $"This is not a current question of the template.");
        }
        if (questions.Where(q => q.Id is not null).GroupBy(q => q.Id).Any(g => g.Count() > 1)) v.Add("questions", $"A question is listed twice.");
        return v;
    }

    public static async Task<Results<Created<TemplateDto>, ValidationProblem>> CreateAsync(Request request, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var v = await ValidateAsync(request, null, [], db, ct);
        if (!v.IsValid) return v.Problem();
        var now = clock.GetUtcNow().UtcDateTime;
        var template = new SurveyTemplate
        {
            Name = request.Name!.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
            Questions = [.. request.Questions!.Select((q, i) => new SurveyQuestion { Order = i + 1, Kind = q.Kind!.Value, Text = q.Text!.Trim(), FromVersion = 1 })],
        };
        db.SurveyTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/surveys/templates/{template.Id}", (await FindAsync(template.Id, db, ct))!);
    }

    /// <summary>
    /// Saves a new version: the name, and the questions in the order given. A current question listed with its id and unchanged
    /// (kind, text and place) stays as it is; every other one is replaced by a new question. A replaced or removed question that
    /// a sent survey asked is closed at the new version and kept for that survey's answers; one nobody was sent is changed in
    /// place or deleted. The version to edit comes from If-Match or the body; a stale one answers 412.
    /// </summary>
    public static async Task<Results<Ok<TemplateDto>, NotFound, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> UpdateAsync(
        long id, Request request, AppDb db, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var template = await db.SurveyTemplates.Include(t => t.Questions.Where(q => q.ToVersion == null)).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return TypedResults.NotFound();
        if (template.RetiredAt is not null) return Problems.Conflict("This survey template is retired.", $"A retired template is kept as it was; create a new one instead.");
        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } e && e != template.Version) return Problems.PreconditionFailed($"The template is at version {template.Version}; reload it and edit again.");
        var current = template.Questions.ToList();
        var v = await ValidateAsync(request, id, [.. current.Select(q => q.Id)], db, ct);
        if (!v.IsValid) return v.Problem();

        // The newest version a sent survey uses: questions that came in after it were never asked.
        var lastSent = await db.SurveyInvitations.Where(i => i.TemplateId == id).MaxAsync(i => (int?)i.TemplateVersion, ct) ?? 0;
        var next = template.Version + 1;
        var wanted = request.Questions!.Select((q, i) => (Id: q.Id, Order: i + 1, Kind: q.Kind!.Value, Text: q.Text!.Trim())).ToList();
        var kept = new HashSet<long>();
        foreach (var w in wanted)
        {
            var row = w.Id is { } qid ? current.First(q => q.Id == qid) : null;
            if (row is not null && row.Kind == w.Kind && row.Text == w.Text && row.Order == w.Order)
                kept.Add(row.Id);
            else if (row is not null && row.FromVersion > lastSent)
            {
                (row.Kind, row.Text, row.Order) = (w.Kind, w.Text, w.Order);
                kept.Add(row.Id);
            }
            else
                template.Questions.Add(new SurveyQuestion { Order = w.Order, Kind = w.Kind, Text = w.Text, FromVersion = next });
        }
        foreach (var gone in current.Where(q => !kept.Contains(q.Id)))
        {
            if (gone.FromVersion > lastSent) db.SurveyQuestions.Remove(gone);
            else gone.ToVersion = next;
        }
        template.Name = request.Name!.Trim();
        template.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        template.Version = next;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed("The template was changed by someone else; reload it and edit again.");
        }
        if (http is not null) http.Response.Headers.ETag = ETags.For(next);
        return TypedResults.Ok((await FindAsync(id, db, ct))!);
    }

    /// <summary>Retires a template: it can no longer be sent; the surveys sent with it still take their answers.</summary>
    public static async Task<Results<Ok<TemplateDto>, NotFound, Conflict<ProblemDetails>>> RetireAsync(long id, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var template = await db.SurveyTemplates.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return TypedResults.NotFound();
        if (template.RetiredAt is not null) return Problems.Conflict("This survey template is retired already.", $"It was retired at {template.RetiredAt:yyyy-MM-dd HH:mm} UTC.");
        template.RetiredAt = clock.GetUtcNow().UtcDateTime;
        template.UpdatedAt = template.RetiredAt;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("The template was changed by someone else.", $"Reload it and try again.");
        }
        return TypedResults.Ok((await FindAsync(id, db, ct))!);
    }
}
