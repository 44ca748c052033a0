using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.FollowUps;
using KeyAccounts.Features.Tasks;
using KeyAccounts.Features.Visits;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>
/// The demo company's visits: for key and major accounts, a year of recorded visits at the three levels (some accounts well
/// covered, some behind), plans ahead and a few overdue, agreed actions as tasks (open, done, overdue), calls and WeChats
/// with next-contact days, so the calendar, the coverage board, contact-today and going-cold all have something to say.
/// Dates are relative to the seed day; deterministic.
/// </summary>
public static class SeedDemoVisits
{
    private const int Seed = 4_417;

    private static readonly Dictionary<VisitLevel, string[]> Purposes = new()
    {
        [VisitLevel.Leadership] = ["年度战略合作会谈", "高层互访：明年采购框架", "总经理拜访：合作回顾与展望"],
        [VisitLevel.Technical] = ["设备运行情况回访", "新产品技术交流", "故障分析与改进方案沟通", "现场使用培训"],
        [VisitLevel.Business] = ["月度业务沟通", "订单与交期确认", "对账与回款沟通", "新品报价"],
    };

    private static readonly string[] Findings =
    [
        "客户对交期满意，希望缩短备件到货时间", "二号产线减速机有异响，需要技术支持", "客户明年计划扩产，采购量预计增长 20%",
        "竞争对手报价低约 8%，客户在比较", "使用部门反馈轴承寿命优于原供应商", "客户关注智能监测方案，可作为潜在需求跟进",
    ];

    private static readonly string[] Actions = ["发送技术方案", "安排工程师现场支持", "提交报价单", "寄送样品", "整理对账单", "安排高层回访"];

    private static readonly string[] Summaries = ["电话确认下周到货", "微信沟通报价细节", "邮件发送产品资料", "会面讨论年度合同", "电话回访使用情况"];

    /// <summary>Visits are placed around the real today (not the company's seed day), so plans are ahead whenever the demo is loaded.</summary>
    public static async Task<int> SeedAsync(AppDb db, IReadOnlyCollection<long> accountIds, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow().UtcDateTime;
        var random = new Random(Seed);
        var today = DateOnly.FromDateTime(now);
        var accounts = await db.Accounts.Where(a => accountIds.Contains(a.Id) && (a.Tier == Tier.Key || a.Tier == Tier.Major)).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.OwnerId, a.Tier }).ToListAsync(ct);
        var contacts = (await db.Contacts.Where(c => c.IsActive && accountIds.Contains(c.AccountId)).Select(c => new { c.Id, c.AccountId }).ToListAsync(ct)).ToLookup(c => c.AccountId, c => c.Id);
        var engineers = await db.Users.Where(u => db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name == "Engineer")))
            .Select(u => u.Id).ToListAsync(ct);
        var visits = 0;
        foreach (var account in accounts)
        {
            var people = contacts[account.Id].ToList();
            // Diligence varies: a quarter of the accounts are visited well, a quarter hardly at all.
            var diligence = random.NextDouble();
            var requirement = VisitFrequency.Default(account.Tier.ToString());
            var recorded = new List<Visit>();
            foreach (var level in VisitFrequency.Levels)
            {
                var count = (int)Math.Round(requirement.PerYear(level) * diligence * 1.2);
                for (var i = 0; i < count; i++)
                {
                    var on = today.AddDays(-random.Next(1, 365));
                    var visit = NewVisit(account.Id, account.OwnerId, level, on, people, random, now, level == VisitLevel.Technical && engineers.Count > 0 ? engineers[random.Next(engineers.Count)] : null);
                    visit.Status = VisitStatus.Done;
                    visit.VisitedOn = on;
                    visit.Findings = Findings[random.Next(Findings.Length)];
                    visit.LatentNeeds = random.Next(3) == 0 ? "智能状态监测、备件寄售" : null;
                    visit.RecordedAt = on.ToDateTime(new TimeOnly(18, 0), DateTimeKind.Utc);
                    recorded.Add(visit);
                }
            }
            db.Visits.AddRange(recorded);
            await db.SaveChangesAsync(ct);
            foreach (var visit in recorded)
            {
                db.FollowUps.Add(new FollowUp
                {
                    AccountId = account.Id,
                    VisitId = visit.Id,
                    Method = FollowUpMethod.Visit,
                    OccurredOn = visit.VisitedOn!.Value,
                    Summary = visit.Findings!,
                    UserId = account.OwnerId,
                    CreatedAt = visit.RecordedAt!.Value,
                    Contacts = [.. visit.Contacts.Select(c => new FollowUpContact { ContactId = c.ContactId })],
                });
                if (random.Next(2) == 0)
                {
                    var due = visit.VisitedOn.Value.AddDays(random.Next(3, 30));
                    db.FollowUpTasks.Add(new FollowUpTask
                    {
                        AccountId = account.Id,
                        VisitId = visit.Id,
                        Title = Actions[random.Next(Actions.Length)],
                        OwnerId = account.OwnerId,
                        DueOn = due,
                        Status = due < today && random.Next(4) > 0 ? TaskState.Done : TaskState.Open,
                        CreatedAt = visit.RecordedAt.Value,
                        CreatedById = account.OwnerId,
                        CompletedAt = due < today ? due.ToDateTime(new TimeOnly(17, 0), DateTimeKind.Utc) : null,
                        Version = 1,
                    });
                }
                visits++;
            }
            // Plans: most accounts have one ahead, some an overdue one nobody recorded.
            if (random.Next(3) > 0)
            {
                db.Visits.Add(NewVisit(account.Id, account.OwnerId, VisitFrequency.Levels[random.Next(3)], today.AddDays(random.Next(0, 40)), people, random, now, null));
                visits++;
            }
            if (random.Next(6) == 0)
            {
                db.Visits.Add(NewVisit(account.Id, account.OwnerId, VisitLevel.Business, today.AddDays(-random.Next(1, 10)), people, random, now, null));
                visits++;
            }
            if (random.Next(3) == 0)
            {
                var on = today.AddDays(-random.Next(1, 60));
                db.FollowUps.Add(new FollowUp
                {
                    AccountId = account.Id,
                    Method = random.Next(2) == 0 ? FollowUpMethod.Call : FollowUpMethod.WeChat,
                    OccurredOn = on,
                    Summary = Summaries[random.Next(Summaries.Length)],
                    NextContactOn = on.AddDays(random.Next(7, 70)),
                    UserId = account.OwnerId,
                    CreatedAt = on.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc),
                    Contacts = people.Count > 0 ? [new FollowUpContact { ContactId = people[random.Next(people.Count)] }] : [],
                });
            }
            if (random.Next(4) == 0)
                db.FollowUpTasks.Add(new FollowUpTask
                {
                    AccountId = account.Id,
                    Title = Actions[random.Next(Actions.Length)],
                    OwnerId = account.OwnerId,
                    DueOn = today.AddDays(random.Next(-5, 20)),
                    CreatedAt = now.AddDays(-10),
                    CreatedById = account.OwnerId,
                    Version = 1,
                });
            await db.SaveChangesAsync(ct);
            // Nothing saved is needed again: each save then compares only this account's visits, not the year's.
            db.ChangeTracker.Clear();
        }
        return visits;
    }

    private static Visit NewVisit(long accountId, string ownerId, VisitLevel level, DateOnly on, List<long> people, Random random, DateTime now, string? companion)
    {
        var met = people.OrderBy(_ => random.Next()).Take(level == VisitLevel.Leadership ? 1 : Math.Min(people.Count, 1 + random.Next(2))).ToList();
        var attendees = new List<string> { ownerId };
        if (companion is not null && companion != ownerId) attendees.Add(companion);
        var visit = new Visit
        {
            AccountId = accountId,
            Level = level,
            PlannedOn = on,
            Purpose = Purposes[level][random.Next(Purposes[level].Length)],
            OwnerId = ownerId,
            CreatedAt = now.AddDays(-20),
            Version = 1,
            Attendees = [.. attendees.Select(u => new VisitAttendee { UserId = u })],
            Contacts = [.. met.Select(c => new VisitContact { ContactId = c })],
        };
        visit.PlaceAttendeesOnCalendar();
        return visit;
    }
}
