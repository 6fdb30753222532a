"""General vocabulary of Chinese administrative and industrial-policy writing.

Only closed-class words live here: suffixes that end a name, official titles,
department abbreviations, the verbs and particles that bound a name on its
left, tier and scale words. No entity name from any sample page belongs in
this module; names come from the gazetteers or from the text itself.
"""

from __future__ import annotations

import re

# --- name suffixes -----------------------------------------------------------

ENTERPRISE_SUFFIXES: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "集团", "公司",
    "专业合作社", "合作社", "总厂", "工厂", "厂", "商行", "农场", "牧场", "工作室",
)
# Suffixes that need a distinctive body before them (公司 alone, or 石化公司, is no firm).
WEAK_ENTERPRISE_SUFFIXES = frozenset({"公司", "厂", "工厂", "农场", "牧场", "商行", "工作室", "集团"})

ORGANIZATION_SUFFIXES: dict[str, str] = {
    # suffix -> kind; longer suffixes are tried first
    "人民代表大会常务委员会": "congress", "人大常委会": "congress", "人大": "congress", "政协": "congress",
    "纪律检查委员会": "party", "纪委监委": "party", "党工委": "party", "党委": "party", "党组": "party",
    "党支部": "party", "党总支": "party", "工委": "party", "统战部": "party", "组织部": "party",
    "宣传部": "party", "政法委": "party", "讲师团": "party", "中心组": "party", "常委会": "party",
    "市委": "party", "县委": "party", "区委": "party", "省委": "party", "镇党委": "party", "团委": "party",
    "人民政府": "government", "政府": "government", "管委会": "government", "管理委员会": "government",
    "委员会": "government", "办公室": "government",
    "局": "government", "厅": "government", "委": "government", "办": "government", "大队": "government",
    "支队": "government", "中队": "government", "派出所": "government", "所": "government",
    "法院": "government", "检察院": "government", "监委": "government", "城管": "government",
    "综合行政执法": "government", "服务中心": "government", "部": "government",
    "协会": "association", "商会": "association", "学会": "association", "联合会": "association",
    "促进会": "association", "研究会": "association", "联谊会": "association", "新联会": "association",
    "联盟": "association", "工会": "association", "妇联": "association", "工商联": "association", "侨联": "association",
    "关工委": "other",
    "研究院": "institute", "研究所": "institute", "实验室": "institute", "高研院": "institute",
    "科学院": "institute", "设计院": "institute", "研究中心": "institute", "技术中心": "institute",
    "创新中心": "institute", "工程中心": "institute", "研发中心": "institute",
    "母基金": "fund", "基金": "fund",
    "银行": "bank", "农商银行": "bank", "农商行": "bank", "信用社": "bank", "支行": "bank", "分行": "bank",
    "大学": "school", "学院": "school", "学校": "school", "中学": "school", "小学": "school",
    "幼儿园": "school", "中心校": "school", "党校": "school", "职业专科学校": "school",
    "孵化器": "incubator", "众创空间": "incubator", "加速器": "incubator",
    "卫生院": "other", "医院": "other", "博物馆": "other", "纪念馆": "other",
    "实践站": "other", "实践所": "other", "实践中心": "other", "服务站": "other", "图书馆": "other",
    "文化馆": "other", "卫生服务中心": "other", "党群服务中心": "other",
}
# What may not follow a suffix for it to end a name (党组|织, 部|门, 所|有, 办|理 …).
_SUFFIX_NOT_BEFORE = {"党组": "织", "部": "门分署队件位长", "所": "有在属得以谓需长中", "办": "理法公学事好",
                      "委": "员托屈", "局": "面势限部", "厅": "堂"}
ORGANIZATION_SUFFIX_PATTERN = "|".join(
    re.escape(suffix) + (f"(?![{_SUFFIX_NOT_BEFORE[suffix]}])" if suffix in _SUFFIX_NOT_BEFORE else "")
    for suffix in sorted(ORGANIZATION_SUFFIXES, key=len, reverse=True)
)

# Department short forms -> full forms (standard usage across Chinese local government).
DEPARTMENT_ABBREVIATIONS: dict[str, str] = {
    "工信局": "工业和信息化局", "人社局": "人力资源和社会保障局", "发改委": "发展和改革委员会",
    "发改局": "发展和改革局", "外办": "外事办公室", "市场监管局": "市场监督管理局",
    "住建局": "住房和城乡建设局", "自然资源局": "自然资源和规划局", "生态环境局": "生态环境局",
    "农业农村局": "农业农村局", "科技局": "科学技术局", "卫健委": "卫生健康委员会", "卫健局": "卫生健康局",
    "文旅局": "文化和旅游局", "应急局": "应急管理局", "医保局": "医疗保障局", "交通局": "交通运输局",
    "商务局": "商务局", "教体局": "教育和体育局", "审批局": "行政审批服务局", "行政审批局": "行政审批服务局",
    "国资委": "国有资产监督管理委员会", "编办": "机构编制委员会办公室", "人社所": "人力资源和社会保障所",
    "投促局": "投资促进局", "大数据局": "大数据局", "统计局": "统计局", "财政局": "财政局",
    "税务局": "税务局", "公安局": "公安局", "民政局": "民政局", "司法局": "司法局", "审计局": "审计局",
    "水利局": "水利局", "人大常委会": "人大常委会", "工商联": "工商业联合会", "政法委": "政法委员会",
    "台办": "台湾事务办公室", "侨办": "侨务办公室", "金融办": "金融工作办公室", "招商局": "招商局",
}

ZONE_SUFFIXES: dict[str, str] = {
    "高新技术产业开发区": "zone", "经济技术开发区": "zone", "高新技术开发区": "zone", "经济开发区": "zone",
    "综合保税区": "zone", "自由贸易试验区": "zone", "农业高新技术产业示范区": "zone", "开发区": "zone",
    "高新区": "zone", "经开区": "zone", "新区": "zone", "保税区": "zone", "自贸区": "zone", "农高区": "zone",
    "示范区": "zone", "产业园区": "park", "工业园区": "park", "产业园": "park", "工业园": "park",
    "科技园": "park", "园区": "park", "医药港": "park", "药谷": "park", "新城": "park", "片区": "other",
    "产业基地": "park", "示范基地": "park", "教育基地": "park", "总部基地": "park", "创业园": "park",
    "集中区": "zone", "工业集中区": "zone", "产业集中区": "zone",
    # macro-regions (SPEC v2: Place kind region)
    "城市群": "region", "都市圈": "region", "城市圈": "region", "经济圈": "region", "经济带": "region",
    "经济区": "region", "经济走廊": "region", "大湾区": "region",
}
# Bare zone words and what a page means by them when it names its own zone.
ZONE_ABBREVIATIONS: dict[str, str] = {
    "高新区": "高新技术产业开发区", "经开区": "经济技术开发区", "开发区": "经济开发区",
    "农高区": "农业高新技术产业示范区", "自贸区": "自由贸易试验区",
}
ZONE_SUFFIX_PATTERN = "|".join(sorted(map(re.escape, ZONE_SUFFIXES), key=len, reverse=True))



# Words that describe a firm's trade at the end of its name (澜峰|智能装备, 禾金|医药, 兴和达|制品).
TRADE_WORDS = frozenset(
    """
    科技 技术 电子 电气 机械 装备 智能 材料 新材料 化工 化学 医药 药业 医疗 生物 制药 半导体 制品 能源 新能源
    环保 食品 纺织 服饰 服装 农业 牧业 建材 实业 重工 汽车 电器 光电 信息 软件 网络 数据 物流 包装 印刷 家居
    模具 阀门 管业 钢铁 铝业 铜业 矿业 石化 股份 控股 资本 投资 机电 设备 器械 仪器 动力 精工 新材 通信 传媒
    """.split()
)

# --- people -------------------------------------------------------------------

TITLES: tuple[str, ...] = (
    "党组书记", "党委书记", "党工委书记", "支部书记", "第一书记", "书记", "副书记", "常务副书记",
    "市长", "副市长", "常务副市长", "县长", "副县长", "常务副县长", "区长", "副区长", "镇长", "副镇长",
    "乡长", "副乡长", "省长", "副省长", "州长", "主任", "副主任", "常务副主任", "执行主任", "局长", "副局长",
    "部长", "副部长", "厅长", "副厅长", "处长", "副处长", "科长", "副科长", "主席", "副主席", "常委",
    "委员", "组织委员", "宣传委员", "纪检委员", "统战委员", "秘书长", "副秘书长", "团长", "副团长",
    "院长", "副院长", "校长", "副校长", "所长", "副所长", "站长", "队长", "大队长", "行长", "副行长",
    "董事长", "副董事长", "总经理", "副总经理", "经理", "总裁", "副总裁", "总监", "首席执行官",
    "创始人", "负责人", "厂长", "社长", "会长", "副会长", "理事长", "巡视员", "调研员", "村支书",
    "支书", "网格员", "教授", "研究员", "总工程师", "工程师", "董事", "监事", "老师", "教师",
    "同学", "医生", "专家", "代表", "组长", "副组长", "班长", "馆长", "园长", "主任委员",
    "链长", "副链长", "总链长",
)
EXECUTIVE_TITLES = frozenset({
    "董事长", "副董事长", "总经理", "副总经理", "经理", "总裁", "副总裁", "总监", "首席执行官",
    "创始人", "厂长", "董事", "监事", "总工程师",
})
# A chain's leading official (链长制): the title follows the chain's name (新能源汽车产业链链长).
CHAIN_LEADER_TITLES = frozenset({"链长", "副链长", "总链长"})
OTHER_TITLES = frozenset({"老师", "教师", "同学", "医生", "教授", "专家", "班长", "工程师", "研究员"})
# Titles that name the government of a place by themselves (副市长 -> 市人民政府).
GOVERNMENT_HEAD_TITLES: dict[str, str] = {
    "市长": "市", "副市长": "市", "常务副市长": "市", "县长": "县", "副县长": "县", "常务副县长": "县",
    "区长": "区", "副区长": "区", "镇长": "镇", "副镇长": "镇", "乡长": "乡", "副乡长": "乡",
    "省长": "省", "副省长": "省",
}
# Words that follow a person's name (so the name stops there).
AFTER_NAME: tuple[str, ...] = (
    "出席", "强调", "表示", "指出", "说", "等", "一行", "带队", "参加", "深入", "先后", "到", "在", "调研",
    "主持", "讲话", "介绍", "向", "对", "就", "率", "带领", "同志", "来到", "赴", "督导", "检查", "视察",
    "考察", "参观", "走访", "要求", "认为", "告诉", "透露", "常年", "今年", "多年", "曾", "便", "和",
    "与", "及", "的", "是", "也", "正", "还", "又", "都", "将", "会见", "慰问", "为", "作", "做", "提出",
    "希望", "充分", "详细", "实地", "现场", "听取", "了解", "宣布", "致辞", "回答", "通报", "传达",
    "陪同", "获得", "荣获", "当选", "担任", "现任", "坦言", "透露", "接受", "称", "汇报", "部署", "指导",
)

# --- relations ----------------------------------------------------------------

TIERS: tuple[str, ...] = ("核心", "主导", "新兴", "重点", "支柱", "未来", "优势", "特色", "首位", "战略性新兴")
# A document's words for its own place (全省, 我市, 本县): its subject, resolved by the document context.
SELF_REFERENCE = re.compile(r"(?P<scope>全|我|本)(?P<level>市|省|区|县)(?![场民委政级长属直内外情])")
SCALE = re.compile(r"[一二三四五六七八九两几数0-9]*[千百十]亿级|万亿级")
LEADING_WORDS: tuple[str, ...] = ("龙头", "领航", "骨干", "领军")

# --- boundaries -----------------------------------------------------------------

# Tokens that end a name on its left: governing verbs, prepositions, particles,
# pronouns and quantity words. A name never contains one as a whole token.
LEFT_STOP_TOKENS = frozenset(
    """
    的 了 着 过 地 得 在 于 对 向 与 和 及 以及 或 同 跟 把 将 被 由 从 自 到 至 往 赴 经 为 以 因 按 按照
    据 是 有 无 该 这 那 此 其 各 每 全 本 我 我们 他 她 它 他们 等 及其 并 并且 而 还 也 都 又 再 已 已经
    正 正在 要 会 能 可 可以 将要 就 才 只 让 使 给 请 令 带动 带领 依托 围绕 聚焦 利用 充分利用 整合 引进 引入
    吸引 推动 推进 加快 加速 实施 打造 做强 做优 做大 做活 做好 抓好 经营 支持 扶持 助力 参与 发起 设立 成立 组建
    落户 落地 位于 来到 走进 驶进 参观 考察 调研 督导 检查 视察 观摩 走访 深入 开展 举办 召开 出台 印发 发布
    签署 签约 开工 投产 竣工 新建 扩建 启动 布局 谋划 策划 培养 引导 鼓励 发挥 依靠 通过 借助 携手 招募 入驻
    进驻 成为 获得 荣获 评为 认定 列入 纳入 包括 包含 涵盖 主要 全力 全面 积极 大力 持续 不断 进一步 继续
    加大 强化 优化 深化 紧盯 瞄准 面向 针对 结合 覆盖 属于 作为 当选 担任 兼任 好 主要有 其中 目前 今年 去年
    近年来 日前 近日 同时 此外 另外 特别是 尤其是 一家 一批 一个 培育 壮大 崛起 加快崛起 做优做强 重点发展
    重点打造 组织 集中 先后 分别 充分发挥 简称 以下简称 暨 了市 了县 了区 一道 共同 开通 当日 现场 前往 先行
    后续 逐步 实地 详细 了解 查看 察看 询问
    落实 建立 健全 建立健全 提升 扩大 努力 加强 深化 巩固 夯实 拓展 拓宽 延伸 激发 促进 增强 提高 保障 确保 坚持
    突出 狠抓 抓紧 抓牢 用好 管好 办好 搞好 助推 推动 实行 执行 贯彻 创建 争创 开创 形成 构建 规范 保持
    挖掘 承接 补齐 梳理 盘活 激活 着力 贯通 振兴 流入 输入 驶入 进入 发往 运往 销往 出售 输给 卖给 交给
    根据 按照 依据 通过 经过 关于 对于 由于 为了 除了 包括 比如 例如 如 像 作为 成为 是否 不断 更加 进一步
    加快发展 大力发展 积极发展 着力发展 重点培育 加快培育 大力培育 重点支持 加快推进 全力推进 积极推进 聚力 发力
    抢抓 紧抓 抓住 瞄准 锚定 对标 对接 服务于 致力于 有利于 有助于 得益于 取决于 本报讯 讯 各类 各级 代表 我代表
    """.split()
)
# Verbs that serve as nouns inside names (高端装备制造, 再生资源回收有限公司, 品种研究保护协会).
NAME_VERBS = frozenset(
    """
    制造 建造 加工 生产 回收 研究 保护 发展 建设 创制 安置 服务 管理 开发 治理 设计 检测 孵化 养殖 种植 融合 应用
    创新 培训 运营 经营 综合 维修 储备 交易 投资 促进 示范 实践 交流 合作 共轨 装配 包装 印刷 冶炼 提纯 仓储
    配送 物流 营销 销售 监督 监管 执法 审批 规划 勘察 检验 认证 评估 咨询 教育 康养 养老 医疗 救助 保障
    改革 调解 宣传 统战 纪检 监察 招商 育成 研发 智造 制药 制品 铸造 锻造 焊接 挤压 纺织 印染
    学习 显示 压铸 封装 测试 储能 检验检测 孵化 旅游 运输 通信 出版 发电 供应 零售 批发 租赁 利用 开采 冶金 建筑 装修 装饰 种养 育种 酿造 烘焙 屠宰 导航
    """.split()
)
PUNCTUATION = frozenset("，,。；;：:、！？!?（）()【】[]《》<>“”\"‘’'—…·/\\|\n ")
GENERIC_ENTITY_BODIES = frozenset(
    """
    重点 主导 核心 新兴 支柱 优势 特色 传统 高端 战略性 首位 主要 相关 有关 各类 各 全 该 本 此 这 大
    小 新 重大 龙头 骨干 领航 配套 上下游 产业链 产业 企业 项目 园区 基础设施 民生 招商 技改 储备 在建
    投产 新开工 开工 续建 城市 农村 乡村 社会 国家 省级 市级 县级 区级 一批 若干 多个 其他 部分 示范
    现代化 工业 服务 经济 发展 创新 科技 建设 生产 管理 综合 专业 公共 基层 所在 当地 辖区 全国
    美丽 优质 良好 优秀 先进 新时代 文明 文明实践 理论 宣教 红色 党群 便民 志愿 志愿服务 招商引资 高新技术 落后 低端 新型 首个 每个 每条 各个 整个 这个 那个 该类 这类 同类
    """.split()
)

# Standard department names of Chinese party and government organs. A name
# ending in a one-character suffix (局 委 办 部 所 厅) must end in one of these,
# because the same characters end common words (布局, 举办, 全部, 所有).
DEPARTMENT_WORDS: frozenset[str] = frozenset(
    """
    组织部 宣传部 统战部 统一战线工作部 政法委 纪委 监委 纪委监委 编办 机构编制委员会办公室 政研室 研究室
    老干部局 网信办 台办 侨办 外办 外事办 金融办 人防办 扶贫办 督查室 信访局 机要局 保密局 档案局 关工委 工委
    党工委 市委 县委 区委 省委 镇委 乡委 发改委 发展和改革委员会 发改局 发展和改革局 工信局 经信局
    工业和信息化局 教育局 教体局 教育和体育局 科技局 科学技术局 公安局 民政局 司法局 财政局 人社局
    人力资源和社会保障局 自然资源局 自然资源和规划局 生态环境局 环保局 住建局 住房和城乡建设局 城管局 综合执法局
    交通局 交通运输局 水利局 水务局 农业农村局 农业局 林业局 商务局 文旅局 文化和旅游局 卫健委 卫健局
    卫生健康委员会 卫生健康局 退役军人事务局 应急局 应急管理局 审计局 国资委 国有资产监督管理委员会 市场监管局
    市场监督管理局 统计局 医保局 医疗保障局 行政审批局 行政审批服务局 审批局 大数据局 税务局 海关 投促局
    投资促进局 招商局 招商服务中心 能源局 粮食局 体育局 广电局 气象局 地震局 烟草局 邮政管理局 乡村振兴局
    发展改革委 发展改革局 经济和信息化局 经济和信息化委员会 经信委 经济和信息化委 科学技术局 工业和信息化委员会
    商务和粮食局 数据资源局 大数据发展管理局 营商环境建设局
    畜牧局 园林局 规划局 国土局 房管局 物价局 工商局 质监局 安监局 食药局 经发局 经济发展局 社会事务局
    建设局 经管局 财金局 财政金融局 人社所 财政所 司法所 派出所 环保所 环卫所 国土所 农技站 市场监管所
    城管 城管所 综合行政执法 大队 科协 文联 社科联 残联 红十字会
    团委 妇联 总工会 工会 工商联 侨联 台联 人大 政协 常委会 人大常委会 管委会 管理委员会 党委 党组
    党政办公室 办公室 综合办公室 法院 检察院
    人民法院 人民检察院 公安分局 分局 税务分局 人力资源部 链长制办公室 产业链办公室 链办 专班 领导小组 办公厅
    """.split()
)
