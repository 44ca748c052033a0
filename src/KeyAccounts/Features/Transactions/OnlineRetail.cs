using System.Globalization;
using System.IO.Compression;
using System.Security.Claims;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Imports;
using KeyAccounts.Features.Organisation;
using KeyAccounts.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Transactions;

/// <summary>
/// The UCI "Online Retail" file (a UK gift wholesaler, 2010-12 .. 2011-12) turned into import-ready CSVs
/// (<c>accounts.csv</c>, <c>orders.csv</c>, <c>rejected.csv</c>) that then go through the ordinary imports. The mapping:
/// each CustomerID is an account <c>UK-{id}</c> (name "Online Retail customer {id}", type Customer, province = the
/// country of its first row, industry "Gift wholesale"); each InvoiceNo is an order with that number, dated by the
/// invoice's day; a <c>C</c> invoice is a cancellation, imported as an order of returns (its quantities are negative).
/// Every odd row is decided by <see cref="Classify"/>; rejected rows are listed with their line and reason.
/// </summary>
public static class OnlineRetail
{
    public const string AccountPrefix = "UK-";

    public static class Reasons
    {
        public const string NoCustomer = "no-customer";
        public const string BadDebtAdjustment = "bad-debt-adjustment";
        public const string NegativePrice = "negative-price";
        public const string ZeroQuantity = "zero-quantity";
        public const string DuplicateLine = "duplicate-line";
    }

    public sealed record Conversion(int SourceLines, int Accounts, int Orders, int ReturnOrders, int Lines, int ReturnLines, int ZeroPriceLines,
        int ServiceLines, IReadOnlyDictionary<string, int> Rejected, string AccountsCsv, string OrdersCsv, string RejectedCsv);

    /// <summary>Stock codes that are not goods: postage and carriage, manual corrections, discounts, fees. They stay on their invoice as lines.</summary>
    public static readonly HashSet<string> ServiceCodes = ["POST", "DOT", "C2", "M", "D", "CRUK", "BANK CHARGES", "AMAZONFEE", "S", "PADS"];

    private static readonly CsvConfiguration Config = new(CultureInfo.InvariantCulture) { HasHeaderRecord = true, BadDataFound = null, MissingFieldFound = null };

    /// <summary>
    /// The rule for one source row, in this order: the bad-debt adjustments (StockCode B, no customer) are bookkeeping, not
    /// sales; a row without CustomerID has no account; a negative price cannot be a sale; a zero quantity carries nothing;
    /// a row identical to an earlier one in every column is a double scan. Everything else is imported (zero-price rows as
    /// free goods, service codes as lines of their invoice).
    /// </summary>
    public static string? Classify(string stockCode, string? customerId, decimal quantity, decimal price) => stockCode switch
    {
        "B" => Reasons.BadDebtAdjustment,
        _ when string.IsNullOrWhiteSpace(customerId) => Reasons.NoCustomer,
        _ when price < 0 => Reasons.NegativePrice,
        _ when quantity == 0 => Reasons.ZeroQuantity,
        _ => null,
    };

    /// <summary>Reads the (optionally gzipped) source once, streaming, and writes the three CSVs into <paramref name="directory"/>.</summary>
    public static Conversion Convert(string source, string directory, decimal costRatio = 0)
    {
        Directory.CreateDirectory(directory);
        var accountsPath = Path.Combine(directory, "accounts.csv");
        var ordersPath = Path.Combine(directory, "orders.csv");
        var rejectedPath = Path.Combine(directory, "rejected.csv");
        var customers = new Dictionary<string, string>(StringComparer.Ordinal);
        var productNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var orders = new HashSet<string>(StringComparer.Ordinal);
        var rejected = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int sourceLines = 0, lines = 0, returnLines = 0, zeroPrice = 0, service = 0;

        using (var input = OpenSource(source))
        using (var reader = new CsvReader(input, Config))
        using (var ordersWriter = Writer(ordersPath))
        using (var rejectedWriter = Writer(rejectedPath))
        {
            foreach (var h in ImportOrders.Schema.Columns) ordersWriter.WriteField(h);
            ordersWriter.NextRecord();
            rejectedWriter.WriteField("line");
            rejectedWriter.WriteField("invoiceNo");
            rejectedWriter.WriteField("reason");
            rejectedWriter.NextRecord();

            reader.Read();
            reader.ReadHeader();
            while (reader.Read())
            {
                sourceLines++;
                var line = sourceLines + 1;
                var invoice = reader.GetField("InvoiceNo")!.Trim();
                var stock = reader.GetField("StockCode")!.Trim();
                var description = reader.GetField("Description")?.Trim();
                var quantity = decimal.Parse(reader.GetField("Quantity")!, NumberStyles.Number, CultureInfo.InvariantCulture);
                var date = DateOnly.FromDateTime(DateTime.Parse(reader.GetField("InvoiceDate")!, CultureInfo.InvariantCulture));
                var price = decimal.Parse(reader.GetField("UnitPrice")!, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
                var customerText = reader.GetField("CustomerID")?.Trim();
                var country = reader.GetField("Country")?.Trim();

                var reason = Classify(stock, customerText, quantity, price);
                if (reason is null && !seen.Add(reader.Parser.RawRecord.TrimEnd('\r', '\n'))) reason = Reasons.DuplicateLine;
                if (reason is not null)
                {
                    rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
                    rejectedWriter.WriteField(line);
                    rejectedWriter.WriteField(invoice);
                    rejectedWriter.WriteField(reason);
                    rejectedWriter.NextRecord();
                    continue;
                }

                var customer = AccountPrefix + decimal.Parse(customerText!, CultureInfo.InvariantCulture).ToString("0", CultureInfo.InvariantCulture);
                customers.TryAdd(customer, string.IsNullOrEmpty(country) ? "Unspecified" : country);
                // One name per product code (its first description), so that re-reading the file never renames products back and forth.
                if (!productNames.TryGetValue(stock, out var name)) productNames[stock] = name = string.IsNullOrEmpty(description) ? stock : description;
                orders.Add(invoice);
                lines++;
                if (quantity < 0) returnLines++;
                if (price == 0) zeroPrice++;
                if (ServiceCodes.Contains(stock)) service++;

                ordersWriter.WriteField(invoice);
                ordersWriter.WriteField(customer);
                ordersWriter.WriteField(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                ordersWriter.WriteField(stock);
                ordersWriter.WriteField(name);
                ordersWriter.WriteField(quantity.ToString(CultureInfo.InvariantCulture));
                ordersWriter.WriteField(price.ToString(CultureInfo.InvariantCulture));
                ordersWriter.WriteField(Math.Round(price * costRatio, 4).ToString(CultureInfo.InvariantCulture));
                ordersWriter.NextRecord();
            }
        }

        using (var accountsWriter = Writer(accountsPath))
        {
            foreach (var h in new[] { "code", "name", "type", "industry", "province" }) accountsWriter.WriteField(h);
            accountsWriter.NextRecord();
            foreach (var (code, country) in customers.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                accountsWriter.WriteField(code);
                accountsWriter.WriteField($"Online Retail customer {code[AccountPrefix.Length..]}");
                accountsWriter.WriteField("Customer");
                accountsWriter.WriteField("Gift wholesale");
                accountsWriter.WriteField(country);
                accountsWriter.NextRecord();
            }
        }
        return new Conversion(sourceLines, customers.Count, orders.Count, orders.Count(o => o.StartsWith('C')), lines, returnLines, zeroPrice, service,
            rejected, accountsPath, ordersPath, rejectedPath);
    }

    private static TextReader OpenSource(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Encoding.UTF8);
    }

    private static CsvWriter Writer(string path) =>
        new(new StreamWriter(path, false, new UTF8Encoding(false)), CultureInfo.InvariantCulture);

    /// <summary><c>KeyAccounts import-online-retail &lt;path&gt;</c>: convert, then run the ordinary accounts and orders imports as <paramref name="userName"/>.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string source, string? directory, string userName, decimal costRatio, TextWriter output,
        CancellationToken ct)
    {
        if (!File.Exists(source))
        {
            output.WriteLine($"import-online-retail: {source} does not exist.");
            return 2;
        }
        directory ??= Path.Combine(Path.GetTempPath(), "online-retail-import");
        var conversion = Convert(source, directory, costRatio);
        output.WriteLine($"Read {conversion.SourceLines:N0} lines: {conversion.Accounts:N0} customers, {conversion.Orders:N0} invoices " +
                         $"({conversion.ReturnOrders:N0} cancellations), {conversion.Lines:N0} lines to import ({conversion.ReturnLines:N0} returns).");
        foreach (var (reason, count) in conversion.Rejected) output.WriteLine($"  rejected {reason}: {count:N0}");
        output.WriteLine($"CSV files and the rejected lines are in {directory}.");

        var users = services.GetRequiredService<UserManager<AppUser>>();
        var importer = await users.FindByNameAsync(userName);
        if (importer is null)
        {
            output.WriteLine($"import-online-retail: there is no user {userName}.");
            return 2;
        }
        var roles = await users.GetRolesAsync(importer);
        var user = CurrentUser.For(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, importer.Id), new Claim(ClaimTypes.Name, importer.UserName!), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "cli")));
        var clock = services.GetRequiredService<TimeProvider>();
        foreach (var (kind, path) in new[] { (ImportAccounts.Kind, conversion.AccountsCsv), (ImportOrders.Kind, conversion.OrdersCsv) })
        {
            await using var db = services.GetRequiredService<Func<AppDb>>()();
            db.Actor = new AuditActor(importer.Id, importer.UserName);
            db.Clock = clock;
            await using var file = File.OpenRead(path);
            var result = await RunImport.ExecuteAsync(kind, file, ImportFileType.Csv, new ImportOptions(false, false), db, user, clock, ct);
            if (result.Error is { } error || result.Outcome is not { Committed: true } outcome)
            {
                output.WriteLine($"import-online-retail: the {kind.Name} import failed: {result.Error ?? string.Join("; ", result.Outcome!.Report.Errors.Take(5).Select(e => $"line {e.Line} {e.Column}: {e.Message}"))}");
                return 1;
            }
            output.WriteLine($"Imported {kind.Name}: {outcome.Report.Accepted:N0} rows.");
        }
        return 0;
    }
}
