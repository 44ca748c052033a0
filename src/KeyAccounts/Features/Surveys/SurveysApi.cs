using KeyAccounts.Infrastructure.Auth;

namespace KeyAccounts.Features.Surveys;

public static class SurveysApi
{
    public static void MapSurveysApi(this IEndpointRouteBuilder app)
    {
        var surveys = app.MapGroup("/api/v1").WithTags("Surveys").RequireAuthorization();
        surveys.MapGet("/surveys/templates", SurveyTemplates.PageAsync);
        surveys.MapGet("/surveys/templates/{id:long}", SurveyTemplates.GetAsync);
        surveys.MapPost("/surveys/templates", SurveyTemplates.CreateAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
        surveys.MapPut("/surveys/templates/{id:long}", SurveyTemplates.UpdateAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
        surveys.MapPost("/surveys/templates/{id:long}/retire", SurveyTemplates.RetireAsync).RequireAuthorization(Infrastructure.Auth.Policies.ManagerOrAbove);
        surveys.MapGet("/surveys/results", SurveyResults.HandleAsync);
        surveys.MapPost("/accounts/{id:long}/surveys", SendSurvey.HandleAsync);
        surveys.MapGet("/accounts/{id:long}/survey-responses", SurveyResults.ListAsync);

        var open = app.MapGroup("/api/v1/public/surveys").WithTags("Surveys").AllowAnonymous().DisableAntiforgery();
        open.MapGet("/{token}", AnswerSurvey.GetAsync);
        open.MapPost("/{token}", AnswerSurvey.PostAsync);
    }
}
