using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Features.Audit;
using KeyAccounts.Features.Calendar;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Evaluation;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Notifications;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Transactions;
using KeyAccounts.Features.Visits;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KeyAccounts.Data;

/// <summary>Who is changing data, for the audit log. Set once per context by <see cref="AppDbFactory"/>.</summary>
public sealed record AuditActor(string? UserId, string? UserName)
{
    public static readonly AuditActor System = new(null, "system");
}

public abstract class AppDb(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountShare> AccountShares => Set<AccountShare>();
    public DbSet<OwnershipChange> OwnershipChanges => Set<OwnershipChange>();
    public DbSet<AccountArchive> Archives => Set<AccountArchive>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<SalesOrder> Orders => Set<SalesOrder>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<QualityIncident> QualityIncidents => Set<QualityIncident>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<EvaluationModel> EvaluationModels => Set<EvaluationModel>();
    public DbSet<JudgedScore> JudgedScores => Set<JudgedScore>();
    public DbSet<EvaluationRun> EvaluationRuns => Set<EvaluationRun>();
    public DbSet<EvaluationResult> EvaluationResults => Set<EvaluationResult>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<VisitAttendee> VisitAttendees => Set<VisitAttendee>();
    public DbSet<VisitContact> VisitContacts => Set<VisitContact>();
    public DbSet<FollowUpTask> FollowUpTasks => Set<FollowUpTask>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<FollowUpContact> FollowUpContacts => Set<FollowUpContact>();
    public DbSet<VisitPolicy> VisitPolicies => Set<VisitPolicy>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<NotificationChannelSetting> NotificationChannelSettings => Set<NotificationChannelSetting>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<Features.Care.CareAction> CareActions => Set<Features.Care.CareAction>();
    public DbSet<Features.Care.CareBudget> CareBudgets => Set<Features.Care.CareBudget>();
    public DbSet<Features.Complaints.Complaint> Complaints => Set<Features.Complaints.Complaint>();
    public DbSet<Features.Complaints.ComplaintEvent> ComplaintEvents => Set<Features.Complaints.ComplaintEvent>();
    public DbSet<Features.Complaints.ComplaintDeadline> ComplaintDeadlines => Set<Features.Complaints.ComplaintDeadline>();
    public DbSet<Features.Surveys.SurveyTemplate> SurveyTemplates => Set<Features.Surveys.SurveyTemplate>();
    public DbSet<Features.Surveys.SurveyQuestion> SurveyQuestions => Set<Features.Surveys.SurveyQuestion>();
    public DbSet<Features.Surveys.SurveyInvitation> SurveyInvitations => Set<Features.Surveys.SurveyInvitation>();
    public DbSet<Features.Surveys.SurveyResponse> SurveyResponses => Set<Features.Surveys.SurveyResponse>();
    public DbSet<Features.Surveys.SurveyAnswer> SurveyAnswers => Set<Features.Surveys.SurveyAnswer>();
    public DbSet<Features.Receivables.CollectionPlan> CollectionPlans => Set<Features.Receivables.CollectionPlan>();
    public DbSet<Features.Receivables.Instalment> Instalments => Set<Features.Receivables.Instalment>();
    public DbSet<Features.Receivables.AccountInvoiceTitle> InvoiceTitles => Set<Features.Receivables.AccountInvoiceTitle>();
    public DbSet<Features.Quotes.PriceList> PriceLists => Set<Features.Quotes.PriceList>();
    public DbSet<Features.Quotes.PriceListLine> PriceListLines => Set<Features.Quotes.PriceListLine>();
    public DbSet<Features.Quotes.Quote> Quotes => Set<Features.Quotes.Quote>();
    public DbSet<Features.Quotes.QuoteLine> QuoteLines => Set<Features.Quotes.QuoteLine>();
    public DbSet<Features.Approvals.ApprovalFlow> ApprovalFlows => Set<Features.Approvals.ApprovalFlow>();
    public DbSet<Features.Approvals.ApprovalRequest> ApprovalRequests => Set<Features.Approvals.ApprovalRequest>();
    public DbSet<Features.Approvals.ApprovalTask> ApprovalTasks => Set<Features.Approvals.ApprovalTask>();
    public DbSet<Features.Approvals.ApprovalAction> ApprovalActions => Set<Features.Approvals.ApprovalAction>();
    public DbSet<Features.Approvals.ApprovalCopy> ApprovalCopies => Set<Features.Approvals.ApprovalCopy>();
    public DbSet<Features.Policies.SalesPolicy> SalesPolicies => Set<Features.Policies.SalesPolicy>();
    public DbSet<Features.Policies.SalesPolicyVersion> SalesPolicyVersions => Set<Features.Policies.SalesPolicyVersion>();

    public AuditActor Actor { get; set; } = AuditActor.System;
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The app's users' books in memory (none in a context made outside the app, such as the design-time one).</summary>
    public BookCache? Books { get; set; }

    /// <summary>The engine's dialect: every engine-specific piece of SQL, plan and connection setting (<see cref="SqlDialect"/>).</summary>
    public abstract SqlDialect Engine { get; }


    /// <summary>
    /// Runs the statements of one list request on one open connection: one trip to the connection pool (and on SQLite one round
    /// of its pragmas) instead of one per statement; on PostgreSQL with generic plans (<see cref="PostgresAppDb"/>).
    /// </summary>
    public virtual async Task<T> ReadListAsync<T>(Func<Task<T>> read, CancellationToken ct)
    {
        await Database.OpenConnectionAsync(ct);
        try
        {
            return await read();
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>Timestamps are UTC everywhere; SQLite forgets the kind, so it is restored on the way out.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDb).Assembly, t => t.Namespace?.StartsWith("KeyAccounts.Features") == true);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// A save that changes audited data runs in a transaction (the caller's, or its own): the save-time rules the features register
    /// as interceptors read and write inside it (<see cref="DataSetup.AddAppDbInterceptor{T}"/>), and the audit log
    /// (<see cref="AuditLog"/>) is written in it after them.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Changes are detected once, here: the save-time rules change entities through their entries, so neither they nor EF
        // need to compare every tracked entity with its snapshot again (each Entries() call would).
        ChangeTracker.DetectChanges();
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            if (!ChangeTracker.Entries().Any(e => e.Entity is IAudited && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await using var transaction = Database.CurrentTransaction is null
                ? await Database.BeginTransactionAsync(cancellationToken)
                : null;
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }
}

public sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public sealed class SqliteAppDb(DbContextOptions<SqliteAppDb> options) : AppDb(options)
{
    public override SqlDialect Engine => SqlDialect.Sqlite;

    /// <summary>
    /// SQLite keeps decimals as text, which sorts and sums wrongly; as REAL they sort, compare and aggregate in SQL.
    /// Double holds 15 significant digits: exact to the fen for any single amount, and to well under a yuan for sums.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<decimal>().HaveConversion<double>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        AccountConfiguration.ConfigureBookIndex(builder, postgres: false);
        NameSearchIndex.ConfigureSqlite(builder);
    }

    /// <summary>The accounts whose names match an FTS5 query, read through the trigram table's table-valued form (<see cref="NameSearchIndex"/>).</summary>
    public IQueryable<AccountNameMatch> AccountNamesMatching(string query) => FromExpression(() => AccountNamesMatching(query));

    /// <summary>The app's open list connections (none in a context made outside the app).</summary>
    public SqliteListConnections? ListConnections { get; set; }

    /// <summary>The list connection this context reads a list on, while it does (<see cref="SqliteKeptStatements"/>).</summary>
    public SqliteListConnection? ListConnection { get; private set; }

    /// <summary>
    /// A list's statements run on an open connection of <see cref="ListConnections"/>, through the statements it has already
    /// prepared (<see cref="SqliteListConnections"/>). A context already on an open connection (a caller's transaction) stays on it.
    /// </summary>
    public override async Task<T> ReadListAsync<T>(Func<Task<T>> read, CancellationToken ct)
    {
        if (ListConnections is not { } pool || Database.GetDbConnection().State != System.Data.ConnectionState.Closed)
            return await base.ReadListAsync(read, ct);
        var connectionString = Database.GetConnectionString();
        var list = pool.Rent();
        var healthy = false;
        Database.SetDbConnection(list.Connection, contextOwnsConnection: false);
        ListConnection = list;
        try
        {
            var result = await read();
            healthy = true;
            return result;
        }
        finally
        {
            ListConnection = null;
            var restored = false;
            try
            {
                // Given back whole: the connection string alone would be set on the list connection, which would stay the context's.
                Database.SetDbConnection(null);
                Database.SetConnectionString(connectionString);
                restored = true;
            }
            finally
            {
                pool.Return(list, healthy && restored);
            }
        }
    }
}

public sealed class PostgresAppDb(DbContextOptions<PostgresAppDb> options) : AppDb(options)
{
    public override SqlDialect Engine => SqlDialect.Postgres;

    /// <summary>
    /// A list's statements run with generic plans: on a connection of their own pool whose sessions start with
    /// <c>plan_cache_mode = force_generic_plan</c> (<see cref="GenericPlans"/>). The app's statements are prepared (Npgsql's
    /// auto-prepare), but where PostgreSQL guesses a custom plan cheaper than the generic one it plans the statement again on
    /// every execution, with the values: a Rep's name search, a Rep's tier filter sorted by archive score, a Manager's pages —
    /// as much CPU as running them. A list's plan does not depend
    /// on the values: each filter leads an index that continues in the sort order, and the book and the search arms are chosen by
    /// the code (<see cref="Features.Accounts.AccountSearch"/>), not by estimates. Other statements (reports over date ranges)
    /// keep PostgreSQL's own choice. Setting the mode per request instead would cost two more round trips per page.
    /// </summary>
    public override async Task<T> ReadListAsync<T>(Func<Task<T>> read, CancellationToken ct)
    {
        // A connection that is already open (a caller's transaction) stays the one used.
        if (Database.GetDbConnection().State != System.Data.ConnectionState.Closed) return await base.ReadListAsync(read, ct);
        var connectionString = Database.GetConnectionString()!;
        Database.SetConnectionString(GenericPlans(connectionString));
        try
        {
            return await base.ReadListAsync(read, ct);
        }
        finally
        {
            Database.SetConnectionString(connectionString);
        }
    }

    /// <summary>The last connection string given and its lists' form (one per app; a reference, read and written whole).</summary>
    private static GenericPlansOf? genericPlans;

    private sealed record GenericPlansOf(string Given, string Generic);

    /// <summary>The connection string of the lists' pool: the app's, with sessions that plan prepared statements generically.</summary>
    public static string GenericPlans(string connectionString)
    {
        if (genericPlans is { } known && known.Given == connectionString) return known.Generic;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c plan_cache_mode=force_generic_plan".Trim();
        var generic = builder.ToString();
        genericPlans = new GenericPlansOf(connectionString, generic);
        return generic;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        NameSearchIndex.ConfigurePostgres(builder);
        AccountConfiguration.ConfigureBookIndex(builder, postgres: true);
    }
}
