//! Why a command was refused: the field at fault and the reason, in English and Chinese.
//! A rejected command changes nothing. Also the one range check for numbers read from files
//! (`check_range`) and a value refused in a file (`InFile`: the file, the key, the reason).
//! A leaf: imports only `lang`, and `i18n` for the name of a unit.

use super::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The field at fault, as named on the command line (`point`, `qty`, `dispatch` ...).
    pub field: String,
    pub reason: Reason,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Reason {
    Empty,
    UnknownPoint {
        code: String,
    },
    UnknownItem {
        code: String,
    },
    UnknownVillage {
        code: String,
    },
    UnknownZone {
        code: String,
    },
    UnknownPerson {
        name: String,
    },
    UnknownDispatch {
        id: String,
    },
    UnknownAlert {
        id: String,
    },
    UnknownVehicle {
        plate: String,
    },
    NotPositive,
    Zero,
    TooLarge,
    TooPrecise,
    NotANumber,
    NotWhole {
        unit: String,
    },
    /// Dispatch or adjustment beyond the stock at the point.
    BeyondStock {
        available: String,
        unit: String,
        point: String,
    },
    SamePoint,
    VillageNotServed {
        village: String,
        served_by: String,
    },
    NotATransfer {
        id: String,
    },
    /// The point face's receipt: the dispatch is not a transfer on its way to this point.
    NotInbound {
        id: String,
        point: String,
    },
    AlreadyReceived {
        id: String,
        at: String,
    },
    MoreThanSent {
        sent: String,
    },
    ExpiryPast {
        expiry: String,
    },
    ExpiryMismatch {
        batch: String,
        expiry: String,
    },
    FutureDate {
        date: String,
    },
    /// A date before the oldest day the store holds figures for.
    PastDate {
        date: String,
        oldest: String,
    },
    /// A date so far ahead it can only be a typing mistake.
    FarFuture {
        date: String,
        years: u32,
    },
    AlreadyAcked {
        id: String,
        by: String,
    },
    AlreadyCleared {
        id: String,
    },
    SameLevel {
        level: String,
    },
    SamePerson {
        name: String,
    },
    BadText,
    NotAChoice {
        options: String,
    },
    TooLong {
        max: usize,
    },
    BadDate,
    BadTime,
    ShiftEndsBeforeStart,
    NotAllowed {
        role: String,
    },
    OtherPoint {
        own: String,
    },
    ReadOnly,
    /// A change that would overflow the count of stock at a point.
    StockOverflow {
        point: String,
    },
    /// The batches of a recorded event do not add up to its quantity.
    LotsDoNotAddUp {
        qty: String,
    },
    /// A code or name with a character that does not show: zero-width, BOM, bidi control,
    /// another format character, or the replacement character of a damaged file.
    Invisible {
        code_point: String,
    },
    /// A code mixing scripts that are not written together (Cyrillic with Latin).
    MixedScripts {
        scripts: String,
    },
    /// A code in another script than the other codes of its kind.
    OtherScript {
        script: String,
        others: String,
    },
    /// A code or name equal to another one once normalised (NFKC) and trimmed.
    DuplicateName {
        name: String,
        other: String,
    },
    /// A number read from a file outside what the program works with.
    OutOfRange {
        value: String,
        min: String,
        max: String,
    },
    /// A command id with a character outside `[A-Za-z0-9._:-]` or too long.
    BadId {
        max: usize,
    },
    /// A command id already recorded for another command of the same user.
    IdForOtherCommand {
        id: String,
    },
    /// A command id already recorded for another user's command.
    IdOfOtherUser {
        id: String,
    },
    /// A vehicle whose pass ended before today.
    PassExpired {
        pass: String,
        until: String,
    },
    /// A warning: the vehicle's pass ends on the dispatch's own day.
    PassEndsToday {
        pass: String,
        until: String,
    },
    /// Un-acknowledging an alert nobody acknowledged.
    NotAcked {
        id: String,
    },
    /// A stock-take whose count equals the stock held: nothing to correct.
    CountMatches {
        qty: String,
        unit: String,
    },
    /// `--delta` given for a stock-take, which takes the counted quantity.
    CountedNotDelta,
    /// `--counted` given with a reason other than a stock-take.
    DeltaNotCounted {
        reason: String,
    },
    /// A date that must be today or later (a request's needed-by day).
    BeforeToday {
        date: String,
    },
    UnknownRequest {
        id: String,
    },
    /// A request in a state that does not allow the step (`status` in English and Chinese).
    RequestIs {
        id: String,
        status: String,
        status_zh: String,
    },
    MoreThanRequested {
        requested: String,
    },
    /// Goods sent for the request wait to be signed for at the checkpoint.
    AwaitingSignature {
        dispatch: String,
    },
    /// Requests are fulfilled by deliveries to villages, not by transfers.
    RequestsGoToVillages,
    NamedTwice {
        id: String,
    },
    /// A request for another village or item than the delivery's.
    RequestOfOther {
        id: String,
        of: String,
    },
    /// More sent than the named requests have approved and not yet sent.
    MoreThanApproved {
        left: String,
    },
    /// A request that would get nothing of the delivery naming it.
    GetsNothing {
        id: String,
    },
    /// A receipt at a checkpoint for a transfer to a point.
    NotADelivery {
        id: String,
    },
    /// A delivery older than the newest ones held, named by no request: its receipt can no
    /// longer be told from an earlier one.
    DeliveryTooOld {
        id: String,
    },
    /// A village tally for a day already recorded.
    AlreadyTallied {
        village: String,
        date: String,
    },
    /// A zero tally with lines.
    ZeroWithLines,
    /// A tally line not written ITEM=QTY.
    BadLine,
    /// A town code outside `[A-Za-z0-9_-]` or too long: it names the town's NATS subject.
    BadTownCode {
        max: usize,
    },
    /// Not a phone number (the number itself is never repeated: it is personal data).
    BadPhone,
    UnknownHousehold {
        code: String,
    },
    UnknownCase {
        id: String,
    },
    /// A case step that does not apply in its status.
    CaseIs {
        id: String,
        status: String,
        status_zh: String,
    },
    /// A case names a village or a household: exactly one.
    VillageOrHousehold,
    /// A named delivery for a household of another village than the delivery's.
    HouseholdElsewhere {
        household: String,
        village: String,
    },
    /// A request from a case that names no item, with none given.
    CaseWithoutItem {
        id: String,
    },
    /// Personal data in events: exporting them is for officers.
    PersonalData,
    /// A need not written ITEM=QTY/DAYS.
    BadNeed,
    UnknownKit {
        code: String,
    },
    /// A kit component that is itself a kit, or the kit itself.
    KitInKit {
        code: String,
    },
    /// A kit whose unit is divisible (kg, L): kits are counted whole.
    KitCountedWhole {
        unit: String,
    },
    /// Assembling kits without the components: what is short.
    ComponentsShort {
        point: String,
        short: Vec<Short>,
    },
    UnknownSlot {
        slot: String,
        zone: String,
        known: String,
    },
    /// A vehicle of another point than the one named.
    VehicleOfOther {
        plate: String,
        point: String,
    },
    /// A request linked to a case names another village or household than the case's.
    CaseAbout {
        id: String,
        about: String,
    },
    /// One part of a list cell (`rice=2/7` of a needs cell) and what is wrong with it.
    Part {
        part: String,
        reason: Box<Reason>,
    },
    /// A line of a file in neither UTF-8 nor GB18030.
    Undecodable,
    /// A line of a file not in `encoding` like lines `first` to `last`.
    MixedEncodings {
        encoding: String,
        first: usize,
        last: usize,
    },
    /// A file (or a row of it) the CSV reader cannot read.
    NotCsv,
    /// A row with another number of fields than the header.
    FieldCount {
        has: usize,
        header: usize,
    },
    /// A header column that names no field of the file's kind (`known`: the fields, and their
    /// Chinese names).
    UnknownColumn {
        known: String,
        known_zh: String,
    },
    ColumnTwice,
    MissingColumn,
    /// A row whose key an earlier row of the file has.
    DuplicateRow {
        key: String,
        first: usize,
    },
    Negative,
    NotWholeNumber,
    BadTimeOfDay,
    NotAWeekday {
        value: String,
    },
    /// An item and a kit in one request row.
    ItemAndKit,
    NotYesNo {
        value: String,
    },
}

/// One component short for an assembly: what it needs and what the point holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Short {
    pub item: String,
    pub needed: String,
    pub held: String,
    pub unit: String,
}

impl Rejection {
    pub fn new(field: &str, reason: Reason) -> Rejection {
        Rejection { field: field.to_string(), reason }
    }

    /// The whole message: "qty: only 12 box at P03" / "数量: P03 仅有 12 box".
    pub fn message(&self, lang: Lang) -> String {
        format!("{}: {}", field_label(&self.field, lang), self.reason.text(lang))
    }
}

/// Refuses `value` unless it lies in `range`: a number read from a file (NaN never does).
pub fn check_range<T: PartialOrd + fmt::Display>(
    field: &str,
    value: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<(), Rejection> {
    if range.contains(&value) {
        return Ok(());
    }
    let (min, max) = (range.start().to_string(), range.end().to_string());
    Err(Rejection::new(field, Reason::OutOfRange { value: value.to_string(), min, max }))
}

/// A value refused in a file the program reads (`baogong.toml`, a scenario): the file and the
/// rejection, whose field is the key (`alerts.transfer_hours`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFile {
    pub file: String,
    pub rejection: Rejection,
}

impl InFile {
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("in {}: {}", self.file, self.rejection.message(lang)),
            Lang::Zh => format!("{} 中 {}", self.file, self.rejection.message(lang)),
        }
    }
}

impl fmt::Display for InFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for InFile {}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Rejection {}

/// The field's name in the user's language.
pub fn field_label(field: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return field.to_string();
    }
    let zh = match field {
        "point" => "送货点",
        "from" => "发出点",
        "to_point" => "目的点",
        "to" => "接班人",
        "to_village" | "village" => "村/小区",
        "item" => "物资",
        "qty" => "数量",
        "delta" => "差额",
        "batch" => "批次",
        "expiry" => "有效期",
        "source" => "来源",
        "note" => "备注",
        "dispatch" => "调拨单",
        "reason" => "原因",
        "yuan" | "fen" => "价格",
        "date" => "日期",
        "person" | "name" => "人员",
        "alert" => "预警",
        "level" => "响应级别",
        "vehicle" => "车辆",
        "zone" => "片区",
        "code" => "编码",
        "start" => "开始时间",
        "end" => "结束时间",
        "role" => "角色",
        "town" => "乡镇",
        "id" => "命令编号",
        "counted" => "实盘数量",
        "number" => "通行证号",
        "valid_until" => "有效期至",
        "request" => "需求单",
        "by" => "需要日期",
        "slot" => "配送时段",
        "signed_by" => "签收人",
        "line" => "明细",
        "kit" => "组合包",
        "components" => "组件",
        "household" => "重点户",
        "address" => "地址",
        "phone" => "电话",
        "categories" => "人群类别",
        "need" => "需求",
        "every_days" => "周期天数",
        "responsible" => "责任人",
        "responsible_phone" => "责任人电话",
        "caller" => "来电人",
        "assignee" => "承办人",
        "case" => "工单",
        "kind" => "类型",
        "text" => "内容",
        "export" => "导出",
        "status" => "状态",
        other => other,
    };
    zh.to_string()
}

impl Reason {
    // One arm per reason, each a pair of translations: a table, not logic, so kept whole.
    pub fn text(&self, lang: Lang) -> String {
        use Reason::*;
        let zh = lang == Lang::Zh;
        match self {
            Empty => pick(zh, "is empty", "不能为空"),
            UnknownPoint { code } => {
                pick2(zh, format!("no point with code {code}"), format!("没有编码为 {code} 的送货点"))
            }
            UnknownItem { code } => pick2(zh, format!("no item with code {code}"), format!("没有编码为 {code} 的物资")),
            UnknownVillage { code } => {
                pick2(zh, format!("no village with code {code}"), format!("没有编码为 {code} 的村/小区"))
            }
            UnknownZone { code } => pick2(zh, format!("no zone with code {code}"), format!("没有编码为 {code} 的片区")),
            UnknownPerson { name } => {
                pick2(zh, format!("no person named {name} on the roster"), format!("名单中没有 {name}"))
            }
            UnknownDispatch { id } => pick2(zh, format!("no dispatch {id}"), format!("没有调拨单 {id}")),
            UnknownAlert { id } => pick2(zh, format!("no alert {id}"), format!("没有预警 {id}")),
            UnknownVehicle { plate } => pick2(zh, format!("no vehicle {plate}"), format!("没有车辆 {plate}")),
            NotPositive => pick(zh, "must be a positive number", "必须是正数"),
            Zero => pick(zh, "must not be zero", "不能为零"),
            TooLarge => pick(zh, "is absurdly large (at most 1,000,000,000)", "数值过大(最多 1,000,000,000)"),
            TooPrecise => pick(zh, "has too many decimals (at most 3; 2 for money)", "小数位过多(最多 3 位,金额 2 位)"),
            NotANumber => pick(zh, "is not a number", "不是数字"),
            NotWhole { unit } => {
                let unit = crate::i18n::unit(lang, unit);
                pick2(zh, format!("must be a whole number of {unit}"), format!("必须是整数({unit})"))
            }
            BeyondStock { available, unit, point } => {
                let unit = crate::i18n::unit(lang, unit);
                pick2(
                    zh,
                    format!("only {available} {unit} in stock at {point}"),
                    format!("{point} 仅有库存 {available} {unit}"),
                )
            }
            SamePoint => pick(zh, "is the same point as the source", "与发出点相同"),
            VillageNotServed { village, served_by } => {
                pick2(zh, format!("{village} is served by {served_by}"), format!("{village} 由 {served_by} 负责配送"))
            }
            NotATransfer { id } => pick2(
                zh,
                format!("{id} went to a village, not to a point; nothing to receive"),
                format!("{id} 是送往村的配送单,无需签收"),
            ),
            NotInbound { id, point } => pick2(
                zh,
                format!("{id} is not on its way to {point}"),
                format!("{id} 不是发往 {point} 的在途调拨单"),
            ),
            AlreadyReceived { id, at } => {
                pick2(zh, format!("{id} was already received at {at}"), format!("{id} 已于 {at} 签收"))
            }
            MoreThanSent { sent } => {
                pick2(zh, format!("is more than was sent ({sent})"), format!("超过发出数量({sent})"))
            }
            ExpiryPast { expiry } => pick2(zh, format!("{expiry} is in the past"), format!("{expiry} 已过期")),
            ExpiryMismatch { batch, expiry } => pick2(
                zh,
                format!("batch {batch} already expires on {expiry}"),
                format!("批次 {batch} 的有效期为 {expiry}"),
            ),
            FutureDate { date } => pick2(zh, format!("{date} is in the future"), format!("{date} 是未来日期")),
            PastDate { date, oldest } => pick2(
                zh,
                format!("{date} is too long ago (the oldest day held is {oldest})"),
                format!("{date} 过早(最早可录入 {oldest})"),
            ),
            FarFuture { date, years } => pick2(
                zh,
                format!("{date} is more than {years} years ahead"),
                format!("{date} 超出 {years} 年以后,请核对"),
            ),
            AlreadyAcked { id, by } => {
                pick2(zh, format!("{id} was already acknowledged by {by}"), format!("{id} 已由 {by} 确认"))
            }
            AlreadyCleared { id } => pick2(zh, format!("{id} has already cleared"), format!("{id} 已解除")),
            SameLevel { level } => {
                pick2(zh, format!("the response level is already {level}"), format!("响应级别已是 {level}"))
            }
            SamePerson { name } => pick2(zh, format!("{name} is already on duty"), format!("{name} 已在值班")),
            BadText => pick(zh, "contains control characters", "包含控制字符"),
            NotAChoice { options } => pick2(zh, format!("must be one of: {options}"), format!("只能是:{options}")),
            TooLong { max } => {
                pick2(zh, format!("is too long (at most {max} characters)"), format!("过长(最多 {max} 字)"))
            }
            BadDate => pick(zh, "is not a date (YYYY-MM-DD)", "日期格式应为 YYYY-MM-DD"),
            BadTime => pick(zh, "is not a time (YYYY-MM-DDTHH:MM)", "时间格式应为 YYYY-MM-DDTHH:MM"),
            ShiftEndsBeforeStart => pick(zh, "ends before it starts", "结束时间早于开始时间"),
            NotAllowed { role } => {
                pick2(zh, format!("is not allowed for role {role}"), format!("角色 {role} 无权执行此操作"))
            }
            OtherPoint { own } => pick2(
                zh,
                format!("belongs to another point; this terminal writes only for {own}"),
                format!("属于其他送货点;本终端只能为 {own} 录入"),
            ),
            ReadOnly => pick(zh, "this session is read-only", "本会话为只读"),
            StockOverflow { point } => {
                pick2(zh, format!("would overflow the stock count at {point}"), format!("将使 {point} 的库存数溢出"))
            }
            LotsDoNotAddUp { qty } => {
                pick2(zh, format!("the batches do not add up to {qty}"), format!("各批次数量之和不等于 {qty}"))
            }
            Invisible { code_point } => pick2(
                zh,
                format!("contains an invisible or damaged character ({code_point})"),
                format!("包含不可见或损坏的字符({code_point})"),
            ),
            MixedScripts { scripts } => {
                pick2(zh, format!("mixes scripts ({scripts})"), format!("混用了不同文字({scripts})"))
            }
            OtherScript { script, others } => pick2(
                zh,
                format!("is written in {script}, the other codes in {others}"),
                format!("使用 {script} 文字,其他编码使用 {others}"),
            ),
            DuplicateName { name, other } => {
                pick2(zh, format!("{name} is the same as {other}"), format!("{name} 与 {other} 重复"))
            }
            OutOfRange { value, min, max } => pick2(
                zh,
                format!("{value} is out of range (allowed {min} to {max})"),
                format!("{value} 超出允许范围({min} 至 {max})"),
            ),
            BadId { max } => pick2(
                zh,
                format!("may hold only letters A-Z a-z, digits and . _ : - (at most {max})"),
                format!("只能由字母 A-Z a-z、数字和 . _ : - 组成(最多 {max} 个)"),
            ),
            IdForOtherCommand { id } => pick2(
                zh,
                format!("{id} was already used for a different command; nothing changed"),
                format!("{id} 已用于另一条命令;未做任何更改"),
            ),
            IdOfOtherUser { id } => pick2(
                zh,
                format!("{id} was already used for a different command, by another user; nothing changed"),
                format!("{id} 已被其他用户用于另一条命令;未做任何更改"),
            ),
            PassExpired { pass, until } => pick2(
                zh,
                format!("pass {pass} expired on {until}; renew it first (log pass)"),
                format!("通行证 {pass} 已于 {until} 到期,请先续办"),
            ),
            PassEndsToday { pass, until } => pick2(
                zh,
                format!("pass {pass} ends today ({until}): the vehicle may be stopped on the way back"),
                format!("通行证 {pass} 今天({until})到期,返程可能被拦"),
            ),
            NotAcked { id } => pick2(zh, format!("{id} is not acknowledged"), format!("{id} 尚未确认")),
            CountMatches { qty, unit } => {
                let unit = crate::i18n::unit(lang, unit);
                pick2(
                    zh,
                    format!("equals the stock held ({qty} {unit}): nothing to correct"),
                    format!("与现有库存相同({qty} {unit}),无需调整"),
                )
            }
            CountedNotDelta => pick(
                zh,
                "a stock-take takes the quantity counted (--counted), not a change",
                "盘点请填写实盘数量(--counted),而不是差额",
            ),
            DeltaNotCounted { reason } => pick2(
                zh,
                format!("is only for a stock-take; {reason} takes a change (--delta)"),
                format!("仅用于盘点;{reason} 请填写差额(--delta)"),
            ),
            BeforeToday { date } => pick2(zh, format!("{date} is before today"), format!("{date} 早于今天")),
            UnknownRequest { id } => pick2(zh, format!("no request {id}"), format!("没有需求单 {id}")),
            RequestIs { id, status, status_zh } => pick2(
                zh,
                format!("{id} is {status}; this step does not apply"),
                format!("{id} 当前为{status_zh},不能执行此操作"),
            ),
            MoreThanRequested { requested } => pick2(
                zh,
                format!("is more than was requested ({requested})"),
                format!("超过申请数量({requested})"),
            ),
            AwaitingSignature { dispatch } => pick2(
                zh,
                format!("{dispatch} sent for it is not yet signed for at the checkpoint"),
                format!("为其发出的 {dispatch} 尚未在村卡口签收"),
            ),
            RequestsGoToVillages => {
                pick(zh, "requests are fulfilled by deliveries to villages", "需求单只能由送往村的配送来满足")
            }
            NamedTwice { id } => pick2(zh, format!("{id} is named twice"), format!("{id} 重复填写")),
            RequestOfOther { id, of } => pick2(zh, format!("{id} is for {of}"), format!("{id} 针对的是 {of}")),
            MoreThanApproved { left } => pick2(
                zh,
                format!("is more than the requests named have approved and not yet sent ({left})"),
                format!("超过所列需求单已批准且未发出的数量({left})"),
            ),
            GetsNothing { id } => pick2(
                zh,
                format!("{id} gets nothing of this delivery (nothing approved left to send, or the quantity goes to the requests before it)"),
                format!("{id} 在本次配送中分不到数量(无待发的批准数量,或数量已分给前面的需求单)"),
            ),
            NotADelivery { id } => pick2(
                zh,
                format!("{id} went to a point, not to a village; confirm it with receive"),
                format!("{id} 是送往送货点的调拨单,请用签收(receive)确认"),
            ),
            DeliveryTooOld { id } => pick2(
                zh,
                format!("{id} is older than the deliveries held and no request names it; it cannot be signed for now"),
                format!("{id} 早于保留的配送记录且无需求单关联,无法再签收"),
            ),
            AlreadyTallied { village, date } => pick2(
                zh,
                format!("{village} already tallied for {date}"),
                format!("{village} 已报送 {date} 的需求统计"),
            ),
            ZeroWithLines => pick(zh, "a zero tally has no lines", "零报告不能填写明细"),
            BadLine => pick(zh, "is not ITEM=QTY", "格式应为 物资=数量"),
            UnknownKit { code } => pick2(zh, format!("no kit with code {code}"), format!("没有编码为 {code} 的组合包")),
            KitInKit { code } => pick2(
                zh,
                format!("{code} is a kit: a kit is made of plain items"),
                format!("{code} 本身是组合包,组合包只能由普通物资组成"),
            ),
            KitCountedWhole { unit } => pick2(
                zh,
                format!("a kit is counted whole; {unit} is divisible"),
                format!("组合包按整件计,单位 {unit} 可拆分"),
            ),
            ComponentsShort { point, short } => {
                let unit = |u: &str| crate::i18n::unit(lang, u);
                let en: Vec<String> =
                    short.iter().map(|s| format!("{} needs {} {}, holds {}", s.item, s.needed, unit(&s.unit), s.held)).collect();
                let zh_lines: Vec<String> =
                    short.iter().map(|s| format!("{} 需要 {} {},仅有 {}", s.item, s.needed, unit(&s.unit), s.held)).collect();
                pick2(
                    zh,
                    format!("components short at {point}: {}", en.join("; ")),
                    format!("{point} 组件不足:{}", zh_lines.join(";")),
                )
            }
            VehicleOfOther { plate, point } => pick2(
                zh,
                format!("{plate} belongs to {point}"),
                format!("{plate} 属于 {point}"),
            ),
            UnknownSlot { slot, zone, known } => pick2(
                zh,
                format!("{slot} is not a delivery slot of zone {zone} (its slots: {known})"),
                format!("{slot} 不是片区 {zone} 的配送时段(可选:{known})"),
            ),
            BadTownCode { max } => pick2(
                zh,
                format!("may hold only letters A-Z a-z, digits, _ and - (at most {max})"),
                format!("只能由字母 A-Z a-z、数字、_ 和 - 组成(最多 {max} 个)"),
            ),
            BadPhone => pick(
                zh,
                "is not a phone number (5 to 20 digits, with + - ( ) or spaces)",
                "不是电话号码(5 至 20 位数字,可含 + - ( ) 或空格)",
            ),
            UnknownHousehold { code } => {
                pick2(zh, format!("no household with code {code}"), format!("没有编码为 {code} 的重点户"))
            }
            UnknownCase { id } => pick2(zh, format!("no hotline case {id}"), format!("没有热线工单 {id}")),
            CaseIs { id, status, status_zh } => pick2(
                zh,
                format!("{id} is {status}; this step does not apply"),
                format!("{id} 当前为{status_zh},不能执行此操作"),
            ),
            VillageOrHousehold => {
                pick(zh, "name a village or a household (one of them)", "请填写村/小区或重点户(二者之一)")
            }
            HouseholdElsewhere { household, village } => pick2(
                zh,
                format!("{household} lives in {village}, not where this delivery went"),
                format!("{household} 属于 {village},不是本次配送的村/小区"),
            ),
            CaseWithoutItem { id } => {
                pick2(zh, format!("{id} names no item: give one (--item)"), format!("{id} 未填写物资,请用 --item 指定"))
            }
            BadNeed => pick(zh, "is not ITEM=QTY/DAYS", "格式应为 物资=数量/天数"),
            CaseAbout { id, about } => pick2(
                zh,
                format!("{id} is about {about}: make the request for {about}, or clear the case"),
                format!("{id} 反映的是 {about}:请为 {about} 提出需求,或清空工单"),
            ),
            Part { part, reason } => pick2(zh, format!("{part}: {}", reason.text(lang)), format!("{part}:{}", reason.text(lang))),
            Undecodable => pick(zh, "is neither UTF-8 nor GB18030", "既不是 UTF-8 也不是 GB18030 编码"),
            MixedEncodings { encoding, first, last } => {
                let lines = if first == last { first.to_string() } else { format!("{first}-{last}") };
                let s = if first == last { "" } else { "s" };
                pick2(
                    zh,
                    format!("mixed encodings: this line is not {encoding} like line{s} {lines}"),
                    format!("编码混用:本行不像第 {lines} 行那样是 {encoding} 编码"),
                )
            }
            NotCsv => pick(zh, "is not CSV", "不是 CSV 格式"),
            FieldCount { has, header } => pick2(
                zh,
                format!("has {has} fields, the header has {header}"),
                format!("有 {has} 个字段,表头有 {header} 个"),
            ),
            UnknownColumn { known, known_zh } => pick2(
                zh,
                format!("unknown column (the columns are {known})"),
                format!("未知的列(可用的列:{known_zh})"),
            ),
            ColumnTwice => pick(zh, "the column appears twice", "该列出现了两次"),
            MissingColumn => pick(zh, "missing column", "缺少该列"),
            DuplicateRow { key, first } => pick2(
                zh,
                format!("duplicate {key} (first on line {first})"),
                format!("{key} 重复(首次出现在第 {first} 行)"),
            ),
            Negative => pick(zh, "must not be negative", "不能为负数"),
            NotWholeNumber => pick(zh, "is not a whole number", "不是整数"),
            BadTimeOfDay => pick(zh, "is not a time of day (HH:MM)", "时刻格式应为 HH:MM"),
            NotAWeekday { value } => {
                pick2(zh, format!("{value} is not a weekday (1-7)"), format!("{value} 不是星期几(1-7)"))
            }
            ItemAndKit => pick(zh, "give an item or a kit, not both", "物资和组合包只能填一个"),
            NotYesNo { value } => {
                pick2(zh, format!("{value} is not true or false"), format!("{value} 应为 是 或 否"))
            }
            PersonalData => pick(
                zh,
                "the events hold households' and callers' personal data: exporting them needs the officer role",
                "事件中含重点户和来电人的个人信息:导出需要值班员(officer)权限",
            ),
        }
    }
}

fn pick(zh: bool, en: &str, zh_text: &str) -> String {
    if zh { zh_text } else { en }.to_string()
}

fn pick2(zh: bool, en: String, zh_text: String) -> String {
    if zh {
        zh_text
    } else {
        en
    }
}
