using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Organisation;

public sealed record DepartmentDto(int Id, string Name, int? ParentId, string? HeadUserId, string? HeadName, string Path, int Members, int Version);

public static class ListDepartments
{
    /// <summary>The whole tree, ordered by path so parents come before their children. Organisations have tens to hundreds of departments.</summary>
    public static async Task<Ok<List<DepartmentDto>>> HandleAsync(AppDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Departments.OrderBy(d => d.Path)
            .Select(d => new DepartmentDto(d.Id, d.Name, d.ParentId, d.HeadUserId,
                db.Users.Where(u => u.Id == d.HeadUserId).Select(u => u.DisplayName).FirstOrDefault(), d.Path,
                db.Users.Count(u => u.DepartmentId == d.Id), d.Version))
            .ToListAsync(ct));
}

public static class SaveDepartment
{
    public sealed record Request(string? Name, int? ParentId, string? HeadUserId, int? Version = null);

    public static async Task<Results<Created<DepartmentDto>, ValidationProblem>> CreateAsync(Request request, AppDb db, CancellationToken ct)
    {
        await using var transaction = await BeginTreeChangeAsync(db, ct);
        var (v, parent) = await ValidateAsync(request, null, db, ct);
        if (request.ParentId is null) v.Add("parentId", $"A new department sits under an existing one.");
        if (!v.IsValid) return v.Problem();
        var department = new Department { Name = request.Name!.Trim(), ParentId = parent!.Id, HeadUserId = request.HeadUserId.Trimmed() };
        db.Departments.Add(department);
        // The path holds the new id: a second statement, in the same transaction (no department is ever seen without its path).
        await db.SaveChangesAsync(ct);
        department.Path = $"{parent.Path}{department.Id}/";
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/departments/{department.Id}",
            new DepartmentDto(department.Id, department.Name, department.ParentId, department.HeadUserId, null, department.Path, 0, department.Version));
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(int id, Request request, AppDb db, CancellationToken ct)
    {
        await using var transaction = await BeginTreeChangeAsync(db, ct);
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (department is null) return TypedResults.NotFound();
        if (request.Version is { } version && version != department.Version)
            return Problems.PreconditionFailed("The department was changed by someone else. Reload it.");
        var (v, newParent) = await ValidateAsync(request, department, db, ct);
        if (!v.IsValid) return v.Problem();

        department.Name = request.Name!.Trim();
        department.HeadUserId = request.HeadUserId.Trimmed();
        var oldPath = department.Path;
        var moves = request.ParentId != department.ParentId && department.ParentId is not null && newParent is not null;
        if (moves)
        {
            department.ParentId = newParent!.Id;
            department.Path = $"{newParent.Path}{department.Id}/";
        }
        await db.SaveChangesAsync(ct);
        if (moves)
        {
            // Moving a department moves its whole subtree: every path below it is rewritten in one statement, and each of those
            // departments counts as changed (its version moves on: a form that still shows its old place gets a conflict).
            var newPath = department.Path;
            await db.Departments.Where(d => d.Path.StartsWith(oldPath) && d.Id != id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Path, d => newPath + d.Path.Substring(oldPath.Length))
                    .SetProperty(d => d.Version, d => d.Version + 1), ct);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Changes to the tree (create, update, delete) run one at a time, each reading the tree inside its own transaction: two moves
    /// checked against the same old tree could otherwise each pass the "not under itself" check and together make a cycle (A under
    /// B, B under A), a move could rewrite a subtree while another request saved a path read before it, and a delete could pass its
    /// "no sub-departments" check while a department was created under it (<see cref="SqlDialect.BeginSerializedWritesAsync"/>: SQLite's
    /// transaction takes the write lock at its start; on PostgreSQL a lock on the table lets readers through and makes other writers
    /// of the tree wait for the commit). A Manager's book is the subtree: it is never read with a department moved and its children not.
    /// </summary>
    private static Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginTreeChangeAsync(AppDb db, CancellationToken ct) =>
        db.Engine.BeginSerializedWritesAsync(db, "Departments", ct);

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> DeleteAsync(int id, AppDb db, CancellationToken ct)
    {
        await using var transaction = await BeginTreeChangeAsync(db, ct);
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (department is null) return TypedResults.NotFound();
        if (department.ParentId is null) return Validation.Single("id", $"The company itself cannot be deleted.");
        if (await db.Departments.AnyAsync(d => d.ParentId == id, ct)) return Validation.Single("id", $"Move or delete its sub-departments first.");
        if (await db.Users.AnyAsync(u => u.DepartmentId == id, ct)) return Validation.Single("id", $"Move its members to another department first.");
        if (await db.Accounts.AnyAsync(a => a.DepartmentId == id, ct)) return Validation.Single("id", $"Accounts still belong to it: hand them over first.");
        db.Departments.Remove(department);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The request's checks, and the parent it names (read once: a new department's path and a move start from it).</summary>
    private static async Task<(Validation Validation, Department? Parent)> ValidateAsync(Request r, Department? self, AppDb db, CancellationToken ct)
    {
        var v = new Validation().Require("name", r.Name, 100);
        Department? parent = null;
        if (r.ParentId is { } parentId)
        {
            parent = await db.Departments.FirstOrDefaultAsync(d => d.Id == parentId, ct);
            if (parent is null) v.Add("parentId", $"There is no department {parentId}.");
            else if (self is not null && parent.Path.StartsWith(self.Path)) v.Add("parentId", $"A department cannot move under itself or its own sub-department.");
        }
        if (r.HeadUserId.Trimmed() is { } head && !await db.Users.AnyAsync(u => u.Id == head, ct)) v.Add("headUserId", $"There is no such user.");
        return (v, parent);
    }
}
