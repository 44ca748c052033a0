using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Infrastructure;

/// <summary>One page of a list: API.md's <c>{ items, total, page, pageSize }</c>.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    /// <summary>True when counting stopped early: there are at least <see cref="Total"/> rows. Left out of the JSON when false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TotalIsEstimate { get; init; }

    /// <summary>The row count to give a table's pager: past an estimate at least one row beyond this page, so that the next page can be opened.</summary>
    [JsonIgnore]
    public int PagerTotal => TotalIsEstimate ? Math.Max(Total, Page * PageSize + 1) : Total;
}

public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static (int Page, int PageSize) Normalize(int? page, int? pageSize) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize));

    public static async Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> ordered, int? page, int? pageSize, CancellationToken ct)
    {
        var (p, size) = Normalize(page, pageSize);
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<T>(items, total, p, size);
    }
}
