using KeyAccounts.Data;
using KeyAccounts.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Policies;

/// <summary>
/// API.md <c>POST /api/v1/policies</c> (Admin): a policy with its first version; <c>PUT /api/v1/policies/{id}</c>: its name and
/// the whole list of versions (a version with an id is changed, one without is added, one left out is removed);
/// <c>POST /api/v1/policies/{id}/versions</c>: one more version. Bad input → 400 naming the field, nothing written.
/// </summary>
public static class SavePolicy
{
    public sealed record CreateRequest(string? Name, int? Priority, DateOnly? ValidFrom, DateOnly? ValidTo, PolicyConditions? Conditions, PolicyBenefits? Benefits)
    {
        public PolicyVersionDto ToVersion() => new(null, Priority, ValidFrom, ValidTo, Conditions, Benefits);
    }

    public sealed record UpdateRequest(string? Name, IReadOnlyList<PolicyVersionDto>? Versions, int? Version = null);

    public sealed record VersionRequest(int? Priority, DateOnly? ValidFrom, DateOnly? ValidTo, PolicyConditions? Conditions, PolicyBenefits? Benefits)
    {
        public PolicyVersionDto ToVersion() => new(null, Priority, ValidFrom, ValidTo, Conditions, Benefits);
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static async Task<Results<Created<PolicyDto>, ValidationProblem>> CreateAsync(CreateRequest request, AppDb db, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var v = new Validation();
        v.Require("name", request.Name, 200);
        var version = request.ToVersion();
        PolicyForm.CheckVersion(v, "", version);
        if (!v.IsValid) return v.Problem();
        var now = clock.GetUtcNow().UtcDateTime;
        var policy = new SalesPolicy { Name = request.Name!.Trim(), CreatedAt = now, UpdatedAt = now };
        var row = new SalesPolicyVersion { CreatedAt = now };
        PolicyForm.Apply(row, version);
        policy.Versions.Add(row);
        db.SalesPolicies.Add(policy);
        await db.SaveChangesAsync(ct);
        if (http is not null) http.Response.Headers.ETag = ETags.For(policy.Version);
        return TypedResults.Created($"/api/v1/policies/{policy.Id}", PolicyDto.From(policy, Today(clock)));
    }

    public static async Task<Results<Ok<PolicyDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, UpdateRequest request, AppDb db, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var policy = await db.SalesPolicies.Include(p => p.Versions).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (policy is null) return TypedResults.NotFound();
        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } e && e != policy.Version)
            return Problems.PreconditionFailed("The policy was changed since you read it. Read it again and apply your changes to it.");
        var v = new Validation();
        v.Require("name", request.Name, 200);
        var versions = request.Versions ?? [];
        if (versions.Count == 0) v.Add("versions", $"A policy needs at least one version.");
        for (var i = 0; i < versions.Count; i++)
        {
            PolicyForm.CheckVersion(v, $"versions[{i}].", versions[i]);
            if (versions[i].Id is { } vid && policy.Versions.All(x => x.Id != vid)) v.Add($"versions[{i}].id", $"Version {vid} is not a version of this policy.");
        }
        if (versions.Where(x => x.Id is not null).GroupBy(x => x.Id).Any(g => g.Count() > 1)) v.Add("versions", $"A version is given twice.");
        if (v.IsValid)
            PolicyForm.CheckOverlaps(v, [.. versions.Select((x, i) => ($"versions[{i}].", x.ValidFrom!.Value, x.ValidTo))]);
        if (!v.IsValid) return v.Problem();

        var now = clock.GetUtcNow().UtcDateTime;
        policy.Name = request.Name!.Trim();
        var kept = versions.Where(x => x.Id is not null).Select(x => x.Id!.Value).ToHashSet();
        foreach (var gone in policy.Versions.Where(x => !kept.Contains(x.Id)).ToList())
        {
            policy.Versions.Remove(gone);
            db.SalesPolicyVersions.Remove(gone);
        }
        foreach (var d in versions)
        {
            var row = d.Id is { } vid ? policy.Versions.First(x => x.Id == vid) : new SalesPolicyVersion { CreatedAt = now };
            PolicyForm.Apply(row, d);
            if (d.Id is null) policy.Versions.Add(row);
        }
        // The policy's own row changes with any version, so its ETag follows every edit.
        policy.UpdatedAt = now;
        db.Entry(policy).Property(p => p.UpdatedAt).IsModified = true;
        await db.SaveChangesAsync(ct);
        if (http is not null) http.Response.Headers.ETag = ETags.For(policy.Version);
        return TypedResults.Ok(PolicyDto.From(policy, Today(clock)));
    }

    public static async Task<Results<Created<PolicyDto>, NotFound, ValidationProblem>> AddVersionAsync(
        long id, VersionRequest request, AppDb db, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var policy = await db.SalesPolicies.Include(p => p.Versions).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (policy is null) return TypedResults.NotFound();
        var v = new Validation();
        var version = request.ToVersion();
        PolicyForm.CheckVersion(v, "", version);
        if (v.IsValid)
            PolicyForm.CheckOverlaps(v, [.. policy.Versions.Select(x => ($"versions[{x.Id}].", x.ValidFrom, x.ValidTo)), ("", version.ValidFrom!.Value, version.ValidTo)]);
        // However the overlap falls, the new version is the one to change.
        if (!v.IsValid && v.Reasons.Any(r => r.Field.StartsWith("versions[", StringComparison.Ordinal)))
        {
            var other = policy.Versions.First(x => x.ValidFrom <= (version.ValidTo ?? DateOnly.MaxValue) && (x.ValidTo ?? DateOnly.MaxValue) >= version.ValidFrom!.Value);
            return Validation.Single("validFrom",
                $"This version overlaps the one from {other.ValidFrom:yyyy-MM-dd}: versions of one policy may not overlap. End that one before {version.ValidFrom:yyyy-MM-dd}.");
        }
        if (!v.IsValid) return v.Problem();
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new SalesPolicyVersion { CreatedAt = now };
        PolicyForm.Apply(row, version);
        policy.Versions.Add(row);
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        if (http is not null) http.Response.Headers.ETag = ETags.For(policy.Version);
        return TypedResults.Created($"/api/v1/policies/{policy.Id}", PolicyDto.From(policy, Today(clock)));
    }
}
