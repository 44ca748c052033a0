using System.Globalization;
using KeyAccounts.Analytics;
using KeyAccounts.Data;
using KeyAccounts.Features.Accounts;
using KeyAccounts.Features.Care;
using KeyAccounts.Features.Complaints;
using KeyAccounts.Features.Surveys;
using KeyAccounts.Features.Transactions;
using Microsoft.EntityFrameworkCore;

namespace KeyAccounts.Features.Demo;

/// <summary>Demo data for customer service: cooperation anniversaries, care actions and budgets, a survey with answers; complaints in every state.</summary>
public static class SeedDemoService
{
    private const int Seed = 3_114;

    public static async Task SeedAsync(AppDb db, IReadOnlyList<Account> accounts, DateTime now, CancellationToken ct)
    {
        var random = new Random(Seed);
        var cared = accounts.Where(a => a.Tier is Tier.Key or Tier.Major).ToList();
        var ids = cared.Select(a => a.Id).ToList();
        var people = (await db.Contacts.Where(c => ids.Contains(c.AccountId) && c.IsActive).Select(c => new { c.Id, c.AccountId, c.Name }).ToListAsync(ct))
            .GroupBy(c => c.AccountId).ToDictionary(g => g.Key, g => g.Select(c => c.Id).ToList());

        foreach (var a in cared)
            a.CooperationSince = new DateOnly(2008 + random.Next(15), 1 + random.Next(12), 1 + random.Next(28));

        var year = now.Year;
        db.CareBudgets.AddRange(
            new CareBudget { Year = year, Tier = Tier.Key, Amount = 200_000m, UpdatedAt = now },
            new CareBudget { Year = year, Tier = Tier.Major, Amount = 80_000m, UpdatedAt = now },
            new CareBudget { Year = year, Tier = Tier.Ordinary, Amount = 20_000m, UpdatedAt = now },
            new CareBudget { Year = year, Tier = Tier.Small, Amount = 5_000m, UpdatedAt = now });
        var festivals = CareCalendar.FestivalsIn(year).ToDictionary(f => f.Key, f => f.Date);
        foreach (var a in cared)
        {
            var contacts = people.GetValueOrDefault(a.Id) ?? [];
            if (contacts.Count == 0) continue;
            db.CareActions.Add(new CareAction
            {
                AccountId = a.Id,
                ContactId = contacts[0],
                Occasion = CareOccasion.Festival,
                Festival = Festivals.MidAutumn,
                What = a.Tier == Tier.Key ? "中秋月饼礼盒 + 茶叶" : "中秋月饼礼盒",
                TakenOn = festivals[Festivals.MidAutumn].AddDays(-3),
                Cost = a.Tier == Tier.Key ? 680m : 298m,
                ByUserId = a.OwnerId,
                CreatedAt = now,
            });
            if (random.Next(2) == 0)
                db.CareActions.Add(new CareAction
                {
                    AccountId = a.Id,
                    ContactId = contacts[random.Next(contacts.Count)],
                    Occasion = CareOccasion.Birthday,
                    What = random.Next(2) == 0 ? "生日鲜花" : "生日贺卡和蛋糕券",
                    TakenOn = DateOnly.FromDateTime(now).AddDays(-random.Next(300)),
                    Cost = 150m + random.Next(5) * 50m,
                    ByUserId = a.OwnerId,
                    CreatedAt = now,
                });
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        var template = new SurveyTemplate
        {
            Name = $"{year} 年度客户满意度调查",
            CreatedAt = now.AddMonths(-7),
            Questions =
            [
                new SurveyQuestion { Order = 1, Kind = QuestionKind.Csat, Text = "您对我们产品质量的满意程度" },
                new SurveyQuestion { Order = 2, Kind = QuestionKind.Csat, Text = "您对我们交付与服务的满意程度" },
                new SurveyQuestion { Order = 3, Kind = QuestionKind.Nps, Text = "您向同行推荐我们的可能性有多大" },
                new SurveyQuestion { Order = 4, Kind = QuestionKind.Text, Text = "您希望我们改进什么" },
            ],
        };
        db.SurveyTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        string[] comments = ["交期再稳定一些", "技术支持响应很快，满意", "希望价格更有竞争力", "包装需要改进", "售后工程师很专业"];
        foreach (var a in cared)
            foreach (var contactId in (people.GetValueOrDefault(a.Id) ?? []).Take(2))
            {
                var sent = now.AddDays(-random.Next(10, 200));
                var invitation = new SurveyInvitation
                {
                    TemplateId = template.Id,
                    AccountId = a.Id,
                    ContactId = contactId,
                    TokenHash = SendSurvey.Hash(SendSurvey.NewToken()),
                    SentById = a.OwnerId,
                    SentAt = sent,
                    ExpiresAt = sent.AddDays(14),
                };
                db.SurveyInvitations.Add(invitation);
                if (random.Next(10) < 3) continue;
                var answered = sent.AddDays(random.Next(1, 10));
                invitation.AnsweredAt = answered;
                await db.SaveChangesAsync(ct);
                // The response needs the invitation's id; what was saved is not needed again, so the next save stays small.
                db.ChangeTracker.Clear();
                var bias = a.Tier == Tier.Key ? 1 : 0;
                int[] csat = [Math.Clamp(3 + bias + random.Next(-1, 2), 1, 5), Math.Clamp(3 + random.Next(-1, 3), 1, 5)];
                var nps = Math.Clamp(6 + bias + random.Next(-3, 5), 0, 10);
                db.SurveyResponses.Add(new SurveyResponse
                {
                    InvitationId = invitation.Id,
                    AccountId = a.Id,
                    ContactId = contactId,
                    AnsweredAt = answered,
                    Csat = Satisfaction.Csat(csat),
                    Nps = nps,
                    Answers =
                    [
                        new SurveyAnswer { QuestionId = template.Questions[0].Id, Score = csat[0] },
                        new SurveyAnswer { QuestionId = template.Questions[1].Id, Score = csat[1] },
                        new SurveyAnswer { QuestionId = template.Questions[2].Id, Score = nps },
                        new SurveyAnswer { QuestionId = template.Questions[3].Id, Text = comments[random.Next(comments.Length)] },
                    ],
                });
            }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Complaints in every state; the resolved quality complaint records its loss. Seeded before the year's rating run, so the
    /// published run counts that loss (it happened in the rated period), on the tiers the accounts had when they complained.
    /// </summary>
    public static async Task SeedComplaintsAsync(AppDb db, IReadOnlyList<Account> accounts, DateTime now, CancellationToken ct)
    {
        var cared = accounts.Where(a => a.Tier is Tier.Key or Tier.Major).ToList();
        var ids = cared.Select(a => a.Id).ToList();
        var people = (await db.Contacts.Where(c => ids.Contains(c.AccountId) && c.IsActive).Select(c => new { c.Id, c.AccountId }).ToListAsync(ct))
            .GroupBy(c => c.AccountId).ToDictionary(g => g.Key, g => g.Select(c => c.Id).ToList());

        (ComplaintCategory Category, ComplaintSeverity Severity, ComplaintStatus Status, string Text)[] complaints =
        [
            (ComplaintCategory.Quality, ComplaintSeverity.High, ComplaintStatus.Resolved, "批次 2609 深沟球轴承运转异响，装机 40 台中 6 台返修"),
            (ComplaintCategory.Delivery, ComplaintSeverity.Medium, ComplaintStatus.Confirmed, "十月订单延期 9 天到货，影响产线排程"),
            (ComplaintCategory.Service, ComplaintSeverity.Low, ComplaintStatus.New, "售后电话多次无人接听"),
            (ComplaintCategory.Quality, ComplaintSeverity.Critical, ComplaintStatus.Investigating, "减速机齿轮断齿，客户产线停机"),
            (ComplaintCategory.Price, ComplaintSeverity.Low, ComplaintStatus.Acknowledged, "年度调价幅度超出合同约定"),
            (ComplaintCategory.Delivery, ComplaintSeverity.High, ComplaintStatus.Reopened, "补发货物型号错误，需再次更换"),
            (ComplaintCategory.Other, ComplaintSeverity.Medium, ComplaintStatus.Confirmed, "发票抬头开错"),
        ];
        var targets = cared.Where(a => people.ContainsKey(a.Id)).Take(complaints.Length).ToList();
        for (var i = 0; i < targets.Count; i++)
        {
            var (category, severity, status, text) = complaints[i];
            var a = targets[i];
            var created = now.AddDays(-(3 + i * 9));
            var due = ComplaintRules.DueAt(created, ComplaintRules.DefaultHours(severity, a.Tier));
            var c = new Complaint
            {
                AccountId = a.Id,
                ContactId = people[a.Id][0],
                Category = category,
                Severity = severity,
                Description = text,
                Status = status,
                AssigneeId = a.OwnerId,
                DueAt = due,
                CreatedAt = created,
                CreatedById = a.OwnerId,
                UpdatedAt = created,
                Version = 1,
            };
            c.Events.Add(new ComplaintEvent { At = created, Kind = ComplaintEventKind.Received, Status = ComplaintStatus.New, UserId = a.OwnerId });
            var at = created;
            foreach (var step in Path(status))
            {
                at = at.AddHours(6);
                c.Events.Add(new ComplaintEvent { At = at, Kind = ComplaintEventKind.StatusChanged, Status = step, UserId = a.OwnerId });
                if (step == ComplaintStatus.Resolved)
                {
                    c.RootCause = category == ComplaintCategory.Quality ? "热处理工序温控偏差" : "排产与物流衔接不畅";
                    c.Resolution = category == ComplaintCategory.Quality ? "更换不良品并加严出厂检验" : "加急补发并调整排产规则";
                    c.ResolvedAt = at;
                }
            }
            if (Complaint.IsOpen(status) && due < now)
            {
                c.EscalatedAt = due.AddMinutes(10);
                c.Events.Add(new ComplaintEvent { At = due.AddMinutes(10), Kind = ComplaintEventKind.Escalated });
            }
            db.Complaints.Add(c);
            await db.SaveChangesAsync(ct);
            if (category == ComplaintCategory.Quality && status == ComplaintStatus.Resolved)
                db.QualityIncidents.Add(new QualityIncident
                {
                    IncidentNo = "QC-" + c.Id.ToString(CultureInfo.InvariantCulture),
                    AccountId = a.Id,
                    OccurredOn = DateOnly.FromDateTime(created),
                    LossAmount = 36_800m,
                    Description = text,
                    ComplaintId = c.Id,
                    UpdatedAt = now,
                });
        }
        await db.SaveChangesAsync(ct);
    }

    private static IEnumerable<ComplaintStatus> Path(ComplaintStatus status) => status switch
    {
        ComplaintStatus.New => [],
        ComplaintStatus.Acknowledged => [ComplaintStatus.Acknowledged],
        ComplaintStatus.Investigating => [ComplaintStatus.Acknowledged, ComplaintStatus.Investigating],
        ComplaintStatus.Resolved => [ComplaintStatus.Acknowledged, ComplaintStatus.Investigating, ComplaintStatus.Resolved],
        ComplaintStatus.Confirmed => [ComplaintStatus.Acknowledged, ComplaintStatus.Investigating, ComplaintStatus.Resolved, ComplaintStatus.Confirmed],
        _ => [ComplaintStatus.Acknowledged, ComplaintStatus.Investigating, ComplaintStatus.Resolved, ComplaintStatus.Reopened],
    };
}
