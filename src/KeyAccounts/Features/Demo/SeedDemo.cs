using System.Globalization;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Archives;
using KeyAccounts.Features.Contacts;
using KeyAccounts.Features.Organisation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// 演示数据: 华锐传动科技 — an industrial components manufacturer (bearings, gearboxes, hydraulics) with regional sales
/// departments, people in every role, ~300 customers and dealers, group hierarchies, key people and archives of varying
/// completeness. Written through the same entities, rules and audit as the application; deterministic.
/// </summary>
public static class SeedDemo
{
    public const string Password = "Demo.Passw0rd!";
    public const string Marker = "chenming";
    private const int Seed = 8_208;

    private sealed record Person(string UserName, string DisplayName, string Role, string Department);

    /// <summary>Sales departments sit under their region; 技术服务部 and 财务部 under the company.</summary>
    private static readonly (string Name, string? Region)[] DepartmentTree =
    [
        ("华东大区", null), ("华东销售一部", "华东大区"), ("华东销售二部", "华东大区"),
        ("华北大区", null), ("华北销售部", "华北大区"),
        ("华南大区", null), ("华南销售部", "华南大区"),
        ("华中大区", null), ("华中销售部", "华中大区"),
        ("西南大区", null), ("西南销售部", "西南大区"),
        ("技术服务部", null), ("财务部", null),
    ];

    private static readonly Person[] People =
    [
        new("sysadmin", "孔令辉", Roles.Admin, "总公司"),
        new("wangjianguo", "王建国", Roles.Leader, "总公司"),
        new("lihua", "李华", Roles.Leader, "总公司"),
        new("chenming", "陈明", Roles.Manager, "华东大区"),
        new("xuqiang", "徐强", Roles.Manager, "华东销售一部"),
        new("mali", "马丽", Roles.Manager, "华东销售二部"),
        new("liuyang", "刘洋", Roles.Manager, "华北销售部"),
        new("huangli", "黄丽", Roles.Manager, "华南销售部"),
        new("sunwei", "孙伟", Roles.Manager, "华中销售部"),
        new("zhoutao", "周涛", Roles.Manager, "西南销售部"),
        new("zhangwei", "张伟", Roles.Rep, "华东销售一部"),
        new("wangfang", "王芳", Roles.Rep, "华东销售一部"),
        new("liuna", "刘娜", Roles.Rep, "华东销售一部"),
        new("chenjing", "陈静", Roles.Rep, "华东销售二部"),
        new("yangmin", "杨敏", Roles.Rep, "华东销售二部"),
        new("zhaolei", "赵磊", Roles.Rep, "华北销售部"),
        new("wujun", "吴军", Roles.Rep, "华北销售部"),
        new("zhoujie", "周杰", Roles.Rep, "华南销售部"),
        new("xuyan", "徐艳", Roles.Rep, "华南销售部"),
        new("hutao", "胡涛", Roles.Rep, "华中销售部"),
        new("guoxin", "郭鑫", Roles.Rep, "西南销售部"),
        new("qianyong", "钱勇", Roles.Rep, "华东销售一部"),
        new("heqiang", "何强", Roles.Engineer, "技术服务部"),
        new("gaofeng", "高峰", Roles.Engineer, "技术服务部"),
        new("linbo", "林波", Roles.Engineer, "技术服务部"),
        new("luoqian", "罗倩", Roles.Finance, "财务部"),
        new("zhengyu", "郑宇", Roles.Finance, "财务部"),
    ];

    /// <summary>The rep who left: their book was handed over, so the demo shows ownership history.</summary>
    private const string FormerRep = "qianyong";

    /// <summary>集团: a parent company and its subsidiaries, all in the demo book.</summary>
    private static readonly (string Group, string Province, string City, string Industry, string[] Subsidiaries)[] Groups =
    [
        ("浙江恒力重工集团有限公司", "浙江", "杭州", "工程机械", ["杭州恒力液压有限公司", "宁波恒力精密传动有限公司", "绍兴恒力铸造有限公司"]),
        ("山东鲁泰装备集团股份有限公司", "山东", "济南", "矿山", ["青岛鲁泰矿山机械有限公司", "烟台鲁泰减速机有限公司"]),
        ("广东粤海风电集团有限公司", "广东", "广州", "风电", ["佛山粤海风电设备有限公司", "东莞粤海齿轮箱有限公司", "深圳粤海能源科技有限公司"]),
        ("四川蜀工机械集团有限公司", "四川", "成都", "工程机械", ["绵阳蜀工液压件有限公司", "成都蜀工轴承有限公司"]),
    ];

    private static readonly string[] Competitors = ["SKF", "舍弗勒(FAG)", "NSK", "瓦房店轴承", "洛阳LYC", "人本集团", "博世力士乐", "川崎精机", "SEW传动", "南高齿"];

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDb>();
        if (await db.Users.AnyAsync(u => u.UserName == Marker, ct))
        {
            output.WriteLine("seed-demo: the demo company is already loaded; nothing was changed.");
            return 0;
        }
        db.Actor = new AuditActor(null, "seed-demo");
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var summary = await SeedAsync(db, users, ct);
        output.WriteLine($"seed-demo: loaded 华锐传动科技有限公司 — {summary.Departments} departments, {summary.Users} users, " +
                         $"{summary.Accounts} accounts, {summary.Contacts} contacts.");
        output.WriteLine($"Every demo user signs in with the password {Password}:");
        foreach (var role in Roles.All)
            output.WriteLine($"  {role,-9} {string.Join(", ", People.Where(p => p.Role == role && p.UserName != FormerRep).Select(p => $"{p.UserName} ({p.DisplayName})"))}");
        return 0;
    }

    public sealed record Summary(int Departments, int Users, int Accounts, int Contacts);

    public static async Task<Summary> SeedAsync(AppDb db, UserManager<AppUser> users, CancellationToken ct)
    {
        var random = new Random(Seed);
        var now = DateTime.SpecifyKind(new DateTime(2026, 11, 1, 8, 0, 0), DateTimeKind.Utc);

        var company = await db.Departments.OrderBy(d => d.Id).FirstAsync(d => d.ParentId == null, ct);
        var departments = new Dictionary<string, Department> { ["总公司"] = company };
        foreach (var (name, region) in DepartmentTree)
        {
            var parent = departments[region ?? "总公司"];
            var department = new Department { Name = name, ParentId = parent.Id };
            db.Departments.Add(department);
            await db.SaveChangesAsync(ct);
            department.Path = $"{parent.Path}{department.Id}/";
            departments[name] = department;
        }
        await db.SaveChangesAsync(ct);

        var userIds = new Dictionary<string, string>();
        foreach (var p in People)
        {
            var user = new AppUser { UserName = p.UserName, DisplayName = p.DisplayName, Email = $"{p.UserName}@huarui-demo.cn", DepartmentId = departments[p.Department].Id };
            var created = await users.CreateAsync(user, Password);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, p.Role);
            userIds[p.UserName] = user.Id;
        }
        foreach (var p in People.Where(p => p.Role == Roles.Manager))
            departments[p.Department].HeadUserId = userIds[p.UserName];
        departments["技术服务部"].HeadUserId = userIds["heqiang"];
        departments["财务部"].HeadUserId = userIds["luoqian"];
        company.HeadUserId = userIds["wangjianguo"];
        await db.SaveChangesAsync(ct);

        var repsByRegion = People.Where(p => p.Role == Roles.Rep && p.UserName != FormerRep)
            .GroupBy(p => DepartmentTree.First(d => d.Name == p.Department).Region!)
            .ToDictionary(g => g.Key[..2], g => g.Select(p => userIds[p.UserName]).ToArray());

        var accounts = new List<Account>();
        var names = new HashSet<string>();
        var serial = 0;
        Account NewAccount(string name, AccountType type, string industry, Place place, string city, string division, Tier tier, long? parentId)
        {
            serial++;
            var region = repsByRegion.TryGetValue(place.Region, out var r) ? r : repsByRegion["华东"];
            var created = now.AddDays(-random.Next(60, 1500));
            var account = new Account { Code = "", Name = "", OwnerId = region[random.Next(region.Length)], CreatedAt = created, UpdatedAt = created.AddDays(random.Next(0, 50)) };
            AccountRules.Apply(account, new AccountFields(
                Code: (type == AccountType.Customer ? "C" : "D") + serial.ToString("D4", CultureInfo.InvariantCulture),
                Name: name, Type: type, Industry: industry, Province: place.Province, City: city,
                CreditCode: random.Next(10) < 9 ? CompanyWords.CreditCodeFor(division, 'M', 500_000 + serial * 7919L) : null,
                ParentId: parentId, Tier: tier, Status: random.Next(25) == 0 ? AccountStatus.Dormant : AccountStatus.Active));
            account.OwnershipChanges.Add(new OwnershipChange { ToUserId = account.OwnerId, Reason = "Created", ChangedAt = created, ChangedById = userIds["sysadmin"] });
            accounts.Add(account);
            return account;
        }

        foreach (var (group, province, city, industry, subsidiaries) in Groups)
        {
            var place = CompanyWords.Places.First(p => p.Province == province);
            var division = place.Cities.First(c => c.City == city).DivisionCode;
            var parent = NewAccount(group, AccountType.Customer, industry, place, city, division, Tier.Key, null);
            db.Accounts.Add(parent);
            await db.SaveChangesAsync(ct);
            names.Add(parent.NormalizedName);
            foreach (var sub in subsidiaries)
            {
                var subCity = place.Cities.FirstOrDefault(c => sub.StartsWith(c.City, StringComparison.Ordinal));
                var child = NewAccount(sub, AccountType.Customer, industry, place, subCity.City ?? city, subCity.DivisionCode ?? division,
                    random.Next(2) == 0 ? Tier.Key : Tier.Major, parent.Id);
                names.Add(child.NormalizedName);
                db.Accounts.Add(child);
            }
        }

        while (accounts.Count < 300)
        {
            var place = CompanyWords.Weighted(random, CompanyWords.Places, p => p.Weight);
            var (city, division) = place.Cities[random.Next(place.Cities.Length)];
            var type = random.Next(100) < 72 ? AccountType.Customer : AccountType.Dealer;
            var (term, industry) = type == AccountType.Customer
                ? CompanyWords.ManufacturerTerms[random.Next(CompanyWords.ManufacturerTerms.Length)]
                : CompanyWords.DealerTerms[random.Next(CompanyWords.DealerTerms.Length)];
            var name = city + CompanyWords.BrandFirst[random.Next(CompanyWords.BrandFirst.Length)] + CompanyWords.BrandSecond[random.Next(CompanyWords.BrandSecond.Length)]
                       + term + CompanyWords.Weighted(random, CompanyWords.Suffixes, s => s.Weight).Suffix;
            if (!names.Add(Analytics.CompanyName.Normalize(name))) continue;
            var roll = random.Next(100);
            var tier = roll < 10 ? Tier.Key : roll < 30 ? Tier.Major : roll < 70 ? Tier.Ordinary : Tier.Small;
            db.Accounts.Add(NewAccount(name, type, industry, place, city, division, tier, null));
        }
        await db.SaveChangesAsync(ct);

        // All key people in one save and their reporting lines in a second: a save per account compares the growing graph each time.
        var people = new List<(List<Contact> People, int[] ReportsTo)>();
        foreach (var account in accounts)
        {
            var key = account.Tier is Tier.Key or Tier.Major;
            var count = key ? random.Next(3, 9) : random.Next(0, 4);
            people.Add(AddPeople(db, account, count, random, now));
            // Archives range from complete to empty, so the thin-archive list has something to say.
            var depth = key ? random.Next(0, 5) : random.Next(0, 3);
            if (depth > 0) db.Archives.Add(Archive(account, depth, random, now));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (staff, reportsTo) in people)
            for (var i = 1; i < staff.Count; i++)
                staff[i].ReportsToId = staff[reportsTo[i]].Id;
        await db.SaveChangesAsync(ct);
        var contacts = people.Sum(p => p.People.Count);

        var reps = repsByRegion["华东"];
        foreach (var account in accounts.Where(a => a.Tier == Tier.Key).Take(6))
            db.AccountShares.Add(new AccountShare
            {
                AccountId = account.Id,
                UserId = reps[(int)(account.Id % reps.Length)] == account.OwnerId ? userIds["heqiang"] : reps[(int)(account.Id % reps.Length)],
                Access = account.Id % 2 == 0 ? ShareAccess.Read : ShareAccess.ReadWrite,
                CreatedAt = now
            });
        foreach (var account in accounts.Where(a => a.Tier is Tier.Key or Tier.Major && a.Type == AccountType.Customer).Take(4))
            if (account.OwnerId != userIds["gaofeng"])
                db.AccountShares.Add(new AccountShare { AccountId = account.Id, UserId = userIds["gaofeng"], Access = ShareAccess.Read, CreatedAt = now });

        // 钱勇 left in the spring: his book went to two colleagues, so those accounts show two owners in their history.
        var eastOne = People.Where(p => p.Department == "华东销售一部" && p.Role == Roles.Rep && p.UserName != FormerRep).Select(p => userIds[p.UserName]).ToArray();
        var handedOver = accounts.Where(a => eastOne.Contains(a.OwnerId)).Take(12).ToList();
        for (var i = 0; i < handedOver.Count; i++)
        {
            var a = handedOver[i];
            var successor = a.OwnerId;
            a.OwnershipChanges[0].ToUserId = userIds[FormerRep];
            a.OwnerId = userIds[FormerRep];
            a.TransferTo(successor, "客户经理离职交接（钱勇）", now.AddDays(-200), userIds["xuqiang"]);
        }
        var former = await users.FindByNameAsync(FormerRep);
        former!.IsActive = false;
        await db.SaveChangesAsync(ct);

        foreach (var account in accounts)
            await RefreshArchiveScore.HandleAsync(db, account.Id, ct);
        await SeedDemoTransactions.SeedAsync(db, accounts, now, ct);
        await SeedDemoReceivables.SeedAsync(db, accounts, now, ct);
        // Before the rating run: its published results must count the quality loss of the complaint that happened in the rated year.
        await SeedDemoService.SeedComplaintsAsync(db, accounts, now, ct);
        await SeedDemoEvaluation.SeedAsync(db, userIds["sysadmin"], userIds["wangjianguo"], "wangjianguo", now, ct);
        await SeedDemoWorkbench.SeedAsync(db, userIds["sysadmin"], ct);
        // Publishing the run set the tiers in SQL: what follows works on the accounts as they now are.
        db.ChangeTracker.Clear();
        var ids = accounts.Select(a => a.Id).ToList();
        accounts = await db.Accounts.Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(ct);
        await SeedDemoVisits.SeedAsync(db, [.. accounts.Select(a => a.Id)], ct);
        db.ChangeTracker.Clear();
        accounts = await db.Accounts.Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(ct);
        await SeedDemoService.SeedAsync(db, accounts, now, ct);
        await SeedDemoQuotes.SeedAsync(db, accounts, now, ct);
        return new Summary(DepartmentTree.Length, People.Length, accounts.Count, contacts);
    }

    /// <summary>An account's key people, and for each the index of the person they report to.</summary>
    private static (List<Contact> People, int[] ReportsTo) AddPeople(AppDb db, Account account, int count, Random random, DateTime now)
    {
        if (count == 0) return ([], []);
        var people = new List<Contact>();
        for (var i = 0; i < count; i++)
        {
            var (title, department) = i == 0 ? CompanyWords.Titles[0] : CompanyWords.Titles[i < 4 ? i : 4 + random.Next(CompanyWords.Titles.Length - 4)];
            var role = i switch
            {
                0 => BuyingRole.DecisionMaker,
                1 => BuyingRole.Gatekeeper,
                2 => BuyingRole.Influencer,
                _ => random.Next(3) switch { 0 => BuyingRole.User, 1 => BuyingRole.Champion, _ => BuyingRole.Influencer },
            };
            people.Add(new Contact
            {
                AccountId = account.Id,
                Name = CompanyWords.Surnames[random.Next(CompanyWords.Surnames.Length)] + CompanyWords.GivenNames[random.Next(CompanyWords.GivenNames.Length)],
                Title = title,
                Department = department,
                Role = role,
                Attitude = random.Next(6) switch { 0 or 1 => Attitude.Supporter, 2 or 3 => Attitude.Neutral, 4 => Attitude.Opponent, _ => Attitude.Unknown },
                Influence = i == 0 ? 5 : i < 3 ? 3 + random.Next(2) : 1 + random.Next(3),
                Birthday = random.Next(4) == 0 ? null : new DateOnly(1962 + random.Next(35), 1 + random.Next(12), 1 + random.Next(28)),
                Phone = "13" + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture),
                Email = random.Next(2) == 0 ? $"{account.Code.ToLowerInvariant()}.{i + 1}@example.cn" : null,
                WeChat = random.Next(2) == 0 ? $"wx_{account.Code.ToLowerInvariant()}_{i + 1}" : null,
                Preferences = random.Next(4) switch { 0 => "喜欢喝茶，周末打羽毛球", 1 => "关注交期和售后响应", 2 => "重视技术交流，不喜欢应酬", _ => null },
                UpdatedAt = now,
            });
        }
        db.Contacts.AddRange(people);
        // Reports-to: the general manager heads the tree; department heads report to them, staff to a head.
        var reportsTo = new int[people.Count];
        for (var i = 1; i < people.Count; i++)
            reportsTo[i] = i < 4 ? 0 : 1 + random.Next(Math.Min(3, people.Count - 1));
        return (people, reportsTo);
    }

    private static AccountArchive Archive(Account account, int depth, Random random, DateTime now)
    {
        var dealer = account.Type == AccountType.Dealer;
        var archive = new AccountArchive { AccountId = account.Id, UpdatedAt = now };
        archive.ProductionScale = new ProductionScale
        {
            Employees = 80 + random.Next(3000),
            AnnualRevenue = Math.Round((decimal)(0.5 + random.NextDouble() * 40), 1) * 100_000_000m / 10,
            PlantAreaSquareMetres = dealer ? null : 5_000 + random.Next(200_000),
            Notes = dealer ? "仓储面积约 3000 平方米" : null,
        };
        archive.ProductLines = dealer
            ? [new ProductLine("轴承分销", 55), new ProductLine("传动件分销", 30), new ProductLine("液压件分销", 15)]
            : [new ProductLine(account.Industry + "整机", 70), new ProductLine("配件与售后", 30)];
        if (depth >= 2)
        {
            archive.Competitors = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(i => new Competitor(
                Competitors[(random.Next(Competitors.Length) + i) % Competitors.Length], (CompetitorPosition)random.Next(5),
                10 + random.Next(40), i == 0 ? "轴承、减速机" : "液压件", "价格低", "交期长"))
                .DistinctBy(c => c.Name)];
            archive.MarketShare = new MarketShare { SharePercent = 1 + random.Next(25), IndustryRank = 1 + random.Next(30), AsOfYear = 2025 };
        }
        if (depth >= 3)
        {
            if (dealer)
            {
                archive.SalesRegions = [new SalesRegion(account.Province + "全省", 70), new SalesRegion("周边省份", 30)];
                archive.SubDealers = [new SubDealer(account.City + "机电配件经营部", account.City, 800_000m), new SubDealer(account.City + "工业品商行", account.City)];
                archive.Terminals = [new Terminal(account.City + "钢铁厂", account.City, "冶金"), new Terminal(account.City + "水泥厂", account.City, "建材")];
            }
            else
            {
                archive.ProductionLines = [new ProductionLine("装配线", 2 + random.Next(6), 10_000 + random.Next(90_000), 60 + random.Next(40), "自动化装配线")];
                archive.SalesRegions = [new SalesRegion("国内", 80), new SalesRegion("海外", 20)];
            }
        }
        if (depth >= 4)
            archive.DevelopmentPlans = [new DevelopmentPlan("2026–2028", dealer ? "开拓西南市场，新增两个二级网点" : "新建智能工厂，产能翻番", 20_000_000m + random.Next(200) * 1_000_000m)];
        return archive;
    }
}
