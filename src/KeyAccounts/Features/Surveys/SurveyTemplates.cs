using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Surveys;

public sealed record QuestionDto(long Id, int Order, QuestionKind Kind, string Text);

public sealed record TemplateDto(long Id, string Name, IReadOnlyList<QuestionDto> Questions);

public static class SurveyTemplates
{
    public sealed record QuestionRequest(QuestionKind Kind, string? Text);

    public sealed record Request(string? Name, IReadOnlyList<QuestionRequest>? Questions);

    public static async Task<Ok<List<TemplateDto>>> ListAsync(AppDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.SurveyTemplates.OrderBy(t => t.Name).ThenBy(t => t.Id)
            .Select(t => new TemplateDto(t.Id, t.Name, t.Questions.OrderBy(q => q.Order).Select(q => new QuestionDto(q.Id, q.Order, q.Kind, q.Text)).ToList()))
            .Take(200).ToListAsync(ct));

    public static async Task<Results<Created<TemplateDto>, ValidationProblem>> CreateAsync(Request request, AppDb db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation().Require("name", request.Name, 200);
        var questions = request.Questions ?? [];
        if (questions.Count == 0) v.Add("questions", "A survey needs at least one question.");
        if (questions.Count > 50) v.Add("questions", "A survey has at most 50 questions.");
        for (var i = 0; i < questions.Count; i++) v.Require($"questions[{i}].text", questions[i].Text, 500);
        if (!v.IsValid) return v.Problem();
        var template = new SurveyTemplate
        {
            Name = request.Name!.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Questions = [.. questions.Select((q, i) => new SurveyQuestion { Order = i + 1, Kind = q.Kind, Text = q.Text!.Trim() })],
        };
        db.SurveyTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/surveys/templates/{template.Id}",
            new TemplateDto(template.Id, template.Name, [.. template.Questions.Select(q => new QuestionDto(q.Id, q.Order, q.Kind, q.Text))]));
    }
}
