using KeyAccounts.Analytics;

namespace KeyAccounts.Features.Demo;

/// <summary>A province with its cities and their administrative division codes (the 3rd–8th characters of a credit code).</summary>
public sealed record Place(string Province, string Region, int Weight, (string City, string DivisionCode)[] Cities);

/// <summary>The vocabulary of demo and generated data: places, company names and people, as Chinese industry writes them.</summary>
public static class CompanyWords
{
    public static readonly Place[] Places =
    [
        new("浙江", "华东", 11, [("杭州", "330100"), ("宁波", "330200"), ("温州", "330300"), ("绍兴", "330600"), ("台州", "331000")]),
        new("江苏", "华东", 12, [("南京", "320100"), ("苏州", "320500"), ("无锡", "320200"), ("常州", "320400")]),
        new("上海", "华东", 5, [("上海", "310100")]),
        new("安徽", "华东", 3, [("合肥", "340100"), ("芜湖", "340200")]),
        new("福建", "华南", 4, [("福州", "350100"), ("厦门", "350200")]),
        new("广东", "华南", 12, [("广州", "440100"), ("深圳", "440300"), ("佛山", "440600"), ("东莞", "441900")]),
        new("广西", "华南", 2, [("南宁", "450100"), ("柳州", "450200")]),
        new("山东", "华北", 9, [("济南", "370100"), ("青岛", "370200"), ("烟台", "370600"), ("潍坊", "370700")]),
        new("北京", "华北", 4, [("北京", "110100")]),
        new("天津", "华北", 2, [("天津", "120100")]),
        new("河北", "华北", 5, [("石家庄", "130100"), ("唐山", "130200"), ("保定", "130600")]),
        new("山西", "华北", 1, [("太原", "140100")]),
        new("辽宁", "华北", 3, [("沈阳", "210100"), ("大连", "210200")]),
        new("吉林", "华北", 1, [("长春", "220100")]),
        new("黑龙江", "华北", 1, [("哈尔滨", "230100")]),
        new("河南", "华中", 5, [("郑州", "410100"), ("洛阳", "410300")]),
        new("湖北", "华中", 4, [("武汉", "420100"), ("襄阳", "420600")]),
        new("湖南", "华中", 4, [("长沙", "430100"), ("株洲", "430200")]),
        new("江西", "华中", 2, [("南昌", "360100")]),
        new("四川", "西南", 4, [("成都", "510100"), ("绵阳", "510700")]),
        new("重庆", "西南", 2, [("重庆", "500100")]),
        new("云南", "西南", 1, [("昆明", "530100")]),
        new("陕西", "西南", 2, [("西安", "610100")]),
    ];

    public static readonly string[] BrandFirst =
    [
        "恒", "华", "金", "东", "长", "宏", "永", "鑫", "天", "瑞", "正", "新", "中", "远", "海", "德", "凯", "联", "精", "宇",
        "博", "嘉", "汇", "隆", "万", "盛", "安", "泰", "富", "兴", "昌", "明", "振", "信", "力", "通", "大", "光", "晨", "鼎",
        "银", "星", "伟", "建", "佳", "立", "方", "荣", "聚", "达", "浩", "科", "腾", "诚", "广", "合", "益", "润", "同", "卓",
    ];

    public static readonly string[] BrandSecond =
    [
        "光", "锐", "鹰", "方", "城", "达", "盛", "源", "成", "丰", "泰", "华", "联", "大", "诚", "力", "达", "合", "工", "航",
        "远", "禾", "通", "基", "宝", "昌", "顺", "和", "利", "隆", "安", "信", "新", "兴", "发", "美", "泽", "峰", "宸", "晟",
    ];

    /// <summary>What the name says the company does, and the industry it is filed under.</summary>
    public static readonly (string Term, string Industry)[] ManufacturerTerms =
    [
        ("精密机械", "通用机械"), ("重工", "工程机械"), ("汽车零部件", "汽车制造"), ("液压", "工程机械"), ("传动", "通用机械"),
        ("机电", "通用机械"), ("电气", "电力设备"), ("工程机械", "工程机械"), ("农业机械", "农业机械"), ("矿山设备", "矿山"),
        ("风电设备", "风电"), ("钢铁", "冶金"), ("水泥", "水泥建材"), ("化工装备", "石油化工"), ("纺织机械", "纺织机械"),
        ("包装机械", "通用机械"), ("机床", "机床"), ("轨道装备", "轨道交通"), ("船舶配套", "造船"), ("减速机", "通用机械"),
    ];

    public static readonly (string Term, string Industry)[] DealerTerms =
    [
        ("机电设备", "工业分销"), ("轴承贸易", "工业分销"), ("工业品", "工业分销"), ("传动设备", "工业分销"), ("物资", "工业分销"),
        ("液压气动", "工业分销"), ("供应链", "工业分销"),
    ];

    public static readonly (string Suffix, int Weight)[] Suffixes =
        [("有限公司", 60), ("股份有限公司", 20), ("有限责任公司", 12), ("集团有限公司", 5), ("实业有限公司", 3)];

    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
        "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    ];

    public static readonly string[] GivenNames =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
        "刚", "桂英", "建华", "志强", "海燕", "国庆", "建国", "晓东", "文斌", "振宇", "子涵", "雨轩", "浩然", "思远", "立新", "红梅",
        "春生", "德明", "宏伟", "永刚", "玉兰", "建军", "卫东", "志明", "海涛", "晓峰", "丽华", "俊杰", "天宇", "嘉怡",
    ];

    /// <summary>Titles by seniority: the first is the usual decision maker.</summary>
    public static readonly (string Title, string Department)[] Titles =
    [
        ("总经理", "总经办"), ("采购部经理", "采购部"), ("技术总监", "技术部"), ("设备部经理", "设备部"), ("生产厂长", "生产部"),
        ("质量部经理", "质量部"), ("财务总监", "财务部"), ("采购专员", "采购部"), ("设备工程师", "设备部"), ("工艺工程师", "技术部"),
    ];

    public static T Weighted<T>(Random random, IReadOnlyList<T> items, Func<T, int> weight)
    {
        var total = 0;
        foreach (var item in items) total += weight(item);
        var pick = random.Next(total);
        foreach (var item in items)
        {
            pick -= weight(item);
            if (pick < 0) return item;
        }
        return items[^1];
    }

    private const string CodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>
    /// A valid 统一社会信用代码: 9 (registered by market regulation) 1 (enterprise), the division code, a 9-character
    /// organisation code derived from <paramref name="serial"/> and <paramref name="series"/> (so codes never collide), the check character.
    /// </summary>
    public static string CreditCodeFor(string divisionCode, char series, long serial)
    {
        Span<char> code = stackalloc char[18];
        "91".CopyTo(code);
        divisionCode.AsSpan(0, 6).CopyTo(code[2..]);
        code[8] = series;
        for (var i = 16; i >= 9; i--)
        {
            code[i] = CodeAlphabet[(int)(serial % 31)];
            serial /= 31;
        }
        code[17] = CreditCode.CheckCharacter(code[..17]);
        return new string(code);
    }
}
