namespace KeyAccounts.Features.Tasks;

public static class TasksApi
{
    public static void MapTasksApi(this IEndpointRouteBuilder app)
    {
        // Tagged "Visits" as before the split, so the OpenAPI document is unchanged.
        var api = app.MapGroup("/api/v1").WithTags("Visits").RequireAuthorization();
        api.MapGet("/tasks", ListTasks.HandleAsync);
        api.MapPost("/tasks", CreateTask.HandleAsync);
        api.MapGet("/tasks/{id:long}", GetTask.HandleAsync);
        api.MapPut("/tasks/{id:long}", UpdateTask.HandleAsync);
        api.MapPost("/tasks/{id:long}/complete", CompleteTask.HandleAsync);
    }
}
