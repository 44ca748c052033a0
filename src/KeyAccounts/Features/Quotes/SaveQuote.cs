using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Infrastructure;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Quotes;

/// <summary>Creates a quote, replaces an editable one's lines, or prices lines without saving (the editor's live pricing).</summary>
public static class SaveQuote
{
    public sealed record Request(long? AccountId, DateOnly? ValidUntil, string? Note, IReadOnlyList<QuotePricing.LineRequest>? Lines, int? Version = null);

    /// <summary>How long a quote is valid when the request does not say.</summary>
    public const int DefaultValidDays = 30;

    /// <summary>The company's business day (China Standard Time): quotes are dated and expire by it.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8));

    public static async Task<Results<Ok<QuotePricing.Priced>, NotFound, ValidationProblem>> PreviewAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (request.AccountId is not { } accountId || !await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == accountId, ct))
            return TypedResults.NotFound();
        var v = new Validation();
        var priced = await QuotePricing.PriceAsync(db, accountId, request.Lines, Today(clock), v, ct);
        return priced is null ? v.Problem() : TypedResults.Ok(priced);
    }

    public static async Task<Results<Created<QuoteDto>, NotFound, ForbidHttpResult, ValidationProblem>> CreateAsync(
        Request request, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        if (request.AccountId is not { } accountId || !await db.Accounts.VisibleTo(db, user).AnyAsync(a => a.Id == accountId, ct))
        {
            if (request.AccountId is null) return Validation.Single("accountId", $"accountId is required.");
            return TypedResults.NotFound();
        }
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == accountId, ct)) return TypedResults.Forbid();
        var today = Today(clock);
        var (v, priced) = await ValidateAsync(request, db, accountId, today, ct);
        if (priced is null) return v.Problem();

        var now = clock.GetUtcNow().UtcDateTime;
        var quote = new Quote
        {
            Number = "",
            AccountId = accountId,
            QuoteDate = today,
            ValidUntil = request.ValidUntil ?? today.AddDays(DefaultValidDays),
            State = QuoteState.Draft,
            Note = request.Note.Trimmed(),
            CreatedAt = now,
            CreatedById = user.Id,
            UpdatedAt = now,
            Version = 1,
        };
        Apply(quote, priced, now);
        db.Quotes.Add(quote);
        // The day's serial is the next free one; two quotes numbered at once collide on the unique number and the later tries the next.
        for (var attempt = 0; ; attempt++)
        {
            quote.Number = await NextNumberAsync(db, today, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 4)
            {
                if (!await db.Quotes.AsNoTracking().AnyAsync(q => q.Number == quote.Number, ct)) throw;
            }
        }
        var dto = (await QuoteReads.FindAsync(db, quote.Id, user, ct))!;
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Created($"/api/v1/quotes/{quote.Id}", dto);
    }

    public static async Task<Results<Ok<QuoteDto>, NotFound, ForbidHttpResult, ValidationProblem, ProblemHttpResult, Conflict<ProblemDetails>>> UpdateAsync(
        long id, Request request, AppDb db, CurrentUser user, TimeProvider clock, HttpContext? http, CancellationToken ct)
    {
        var quote = await db.Quotes.Include(q => q.Lines).FirstOrDefaultAsync(q => q.Id == id && db.VisibleAccountIds(user).Contains(q.AccountId), ct);
        if (quote is null) return TypedResults.NotFound();
        if (!await db.Accounts.EditableBy(db, user).AnyAsync(a => a.Id == quote.AccountId, ct)) return TypedResults.Forbid();
        var expected = ETags.IfMatch(http) ?? request.Version;
        if (expected is { } version && version != quote.Version)
            return Problems.PreconditionFailed($"Quote {quote.Number} was changed by someone else since you opened it (now version {quote.Version}, you edited {version}). Reload and apply your change again.");
        if (!quote.IsEditable) return QuoteRules.NotIn(quote, "edited");
        if (request.AccountId is { } accountId && accountId != quote.AccountId)
            return Validation.Single("accountId", $"A quote stays with its account; start a new quote for another account.");

        var today = Today(clock);
        var (v, priced) = await ValidateAsync(request, db, quote.AccountId, today, ct);
        if (priced is null) return v.Problem();
        var now = clock.GetUtcNow().UtcDateTime;
        quote.QuoteDate = today;
        quote.ValidUntil = request.ValidUntil ?? quote.ValidUntil;
        quote.Note = request.Note.Trimmed();
        quote.UpdatedAt = now;
        Apply(quote, priced, now);
        if (expected is { } v2) db.Entry(quote).Property(q => q.Version).OriginalValue = v2;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.PreconditionFailed($"Quote {quote.Number} was changed by someone else while you edited. Reload and apply your change again.");
        }
        var dto = (await QuoteReads.FindAsync(db, quote.Id, user, ct))!;
        http?.Response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    private static async Task<(Validation, QuotePricing.Priced?)> ValidateAsync(Request request, AppDb db, long accountId, DateOnly today, CancellationToken ct)
    {
        var v = new Validation().MaxLength("note", request.Note, 2000);
        if (request.ValidUntil is { } until && until < today) v.Add("validUntil", $"The quote must be valid at least until today ({today:yyyy-MM-dd}).");
        else if (request.ValidUntil is { } far && far > today.AddYears(1)) v.Add("validUntil", $"A quote is valid for at most a year.");
        var priced = await QuotePricing.PriceAsync(db, accountId, request.Lines, today, v, ct);
        return (v, v.IsValid ? priced : null);
    }

    /// <summary>Writes the priced lines onto the quote: lines kept by number are updated in place (their history reads as changes), the rest added or removed.</summary>
    private static void Apply(Quote quote, QuotePricing.Priced priced, DateTime now)
    {
        foreach (var gone in quote.Lines.Where(l => l.LineNo > priced.Lines.Count).ToList()) quote.Lines.Remove(gone);
        foreach (var p in priced.Lines)
        {
            var line = quote.Lines.FirstOrDefault(l => l.LineNo == p.LineNo);
            if (line is null) quote.Lines.Add(line = new QuoteLine { LineNo = p.LineNo, PriceListName = "" });
            line.AccountId = quote.AccountId;
            line.ProductId = p.ProductId;
            line.Quantity = p.Quantity;
            line.ListPrice = p.ListPrice;
            line.PriceListId = p.PriceListId;
            line.PriceListName = p.PriceListName;
            line.PolicyDiscountPercent = p.PolicyDiscountPercent;
            line.PolicyRule = p.PolicyRule;
            line.RequestedDiscountPercent = p.RequestedDiscountPercent;
            line.UnitPrice = p.UnitPrice;
            line.Amount = p.Amount;
            line.ApprovedById = null;
            line.ApprovedAt = null;
        }
        quote.ListTotal = priced.ListTotal;
        quote.Total = priced.Total;
        // An edit after a rejection or a return starts the quote over.
        quote.State = QuoteState.Draft;
        quote.UpdatedAt = now;
    }

    private static async Task<string> NextNumberAsync(AppDb db, DateOnly day, CancellationToken ct)
    {
        var prefix = $"BJ{day:yyyyMMdd}-";
        var last = await db.Quotes.AsNoTracking().Where(q => q.Number.StartsWith(prefix)).OrderByDescending(q => q.Number).Select(q => q.Number).FirstOrDefaultAsync(ct);
        var serial = last is null ? 1 : int.Parse(last[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture) + 1;
        return $"{prefix}{serial:D4}";
    }
}
