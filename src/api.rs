//! The engine's interface: what a face or script sends (`Request`, with its `Caller`) and what
//! comes back (`Reply`: an `Outcome` or a `Refusal`). Shared by the engine, the link (embedded
//! or over the socket), the protocol and every face. Owns no behaviour beyond building these;
//! imports only the domain.

use crate::domain::alerts;
use crate::domain::command::{Command, Event, Face};
use crate::domain::{Access, Lang, Reason, Rejection};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// Who is asking: OS user, the access their role grants, and the face they use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user: String,
    pub access: Access,
    pub face: Face,
}

impl Caller {
    pub fn officer(user: &str, face: Face) -> Caller {
        Caller { user: user.to_string(), access: Access::Officer, face }
    }
}

/// A client-made command id: resending the same id returns the first result.
pub type CmdId = String;

/// A command with its client-made id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Resending the same id returns the first result and changes nothing. Empty: the engine
    /// makes one up (no idempotency across resends).
    pub cmd_id: CmdId,
    pub cmd: Command,
}

/// What the engine recorded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub seq: u64,
    pub cmd_id: CmdId,
    /// The dispatch created or confirmed.
    #[serde(default)]
    pub dispatch: Option<String>,
    /// Alerts this command raised and cleared.
    #[serde(default)]
    pub raised: Vec<String>,
    #[serde(default)]
    pub cleared: Vec<String>,
    /// True when the id had already been applied: nothing changed this time.
    #[serde(default)]
    pub duplicate: bool,
    /// What it was accepted despite (a vehicle pass ending today).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Rejection>,
    /// A stock-take's difference from the stock held (counted − held).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<crate::domain::Qty>,
    /// The request created or acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// The hotline case taken or acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
}

impl Outcome {
    pub fn of(ev: &Event, duplicate: bool) -> Outcome {
        Outcome {
            seq: ev.seq,
            cmd_id: ev.cmd_id.clone(),
            dispatch: ev.resolved.dispatch.clone(),
            raised: ev.alerts.raised.iter().map(|a| alerts::Alert::label(a.id)).collect(),
            cleared: ev.alerts.cleared.iter().map(|id| alerts::Alert::label(*id)).collect(),
            duplicate,
            warnings: ev.resolved.warnings.clone(),
            delta: ev.resolved.delta,
            request: ev.resolved.request.clone(),
            case: ev.resolved.case.clone(),
        }
    }

    /// The outcome of a tick that changed nothing (sequence number 0).
    pub fn nothing(self) -> Outcome {
        Outcome { seq: 0, cmd_id: String::new(), ..self }
    }
}

/// Why a command was not recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// The rules or the caller's role refused it; nothing changed.
    Rejected(Rejection),
    /// The store or the engine could not record it; nothing was acknowledged.
    Fault(Fault),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Rejected(r) => write!(f, "{r}"),
            Refusal::Fault(fault) => f.write_str(&fault.message(Lang::En)),
        }
    }
}

/// What kept the engine from recording a command, by kind, so a face can say it in its
/// language and react to it. `dir` is the data directory; `detail` is the system's own words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    /// The disk (or the quota, or the file size limit) has no room for the write.
    DiskFull { dir: String, detail: String },
    /// The store is on a read-only file system.
    ReadOnly { dir: String },
    /// sled reports the store damaged.
    Damaged { dir: String, detail: String },
    /// Another I/O error.
    Io { dir: String, detail: String },
    /// The store could not be reopened after a failed write (held, insecure, wrong schema).
    Unusable { detail: String },
    /// A write failed and the store could not be reopened to see whether it landed after all.
    Unconfirmed { dir: String, detail: String },
    /// An id's event is not in the log: the store disagrees with itself.
    EventMissing { seq: u64 },
    /// An all-or-nothing batch was not applied because command `command` (from 1) was refused.
    BatchRefused { command: usize },
    /// The engine's thread has ended.
    Stopped,
    /// A fault a newer engine knows and this build does not.
    #[serde(other)]
    Unknown,
}

impl Fault {
    /// The fault in the caller's language, saying what happened and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let en = lang == Lang::En;
        let text = |e: String, z: String| if en { e } else { z };
        match self {
            Fault::DiskFull { dir, detail } => text(
                format!("not saved: disk full: the store at {dir} has no room to write ({detail}); nothing was saved. Free space on that disk: baogong saves again by itself once there is room, no restart needed"),
                format!("未保存:磁盘已满:{dir} 的数据库没有空间写入({detail});未保存任何数据。请释放该磁盘的空间:有空间后 baogong 会自动恢复保存,无需重启"),
            ),
            Fault::ReadOnly { dir } => text(
                format!("not saved: read-only: the store at {dir} is on a read-only file system; nothing was saved. Remount it read-write (or move the data directory), then try again"),
                format!("未保存:只读:{dir} 的数据库位于只读文件系统上;未保存任何数据。请将其重新挂载为可写(或移动数据目录)后重试"),
            ),
            Fault::Damaged { dir, detail } => text(
                format!("not saved: the store at {dir} is damaged ({detail}); save what `baogong export events > FILE` can still read (it also tries without sled's snapshot), then restore that, or your latest exported log, into a new data directory with `baogong import events FILE`"),
                format!("未保存:{dir} 的数据库已损坏({detail});请用 `baogong export events > FILE` 导出仍可读取的数据,再用 `baogong import events FILE` 恢复到新的数据目录"),
            ),
            Fault::Io { dir, detail } => text(
                format!("not saved: the store at {dir} cannot be used: {detail}"),
                format!("未保存:{dir} 的数据库无法使用:{detail}"),
            ),
            Fault::Unusable { detail } => text(format!("not saved: {detail}"), format!("未保存:{detail}")),
            Fault::Unconfirmed { dir, detail } => text(
                format!("perhaps not saved: writing to the store at {dir} failed ({detail}) and it could not be reopened to see what was saved. Once that is mended, send the same command again with the same id: it is recorded once, never twice"),
                format!("可能未保存:写入 {dir} 的数据库失败({detail}),且无法重新打开以确认保存了什么。排除故障后请用同一编号再次提交该命令:只会记录一次,不会重复"),
            ),
            Fault::EventMissing { seq } => text(
                format!("event {seq} is missing; run `baogong check`"),
                format!("事件 {seq} 缺失;请运行 `baogong check`"),
            ),
            Fault::BatchRefused { command } => text(
                format!("not applied: command {command} of the batch was refused"),
                format!("未执行:本批第 {command} 条命令被拒绝"),
            ),
            Fault::Stopped => text("the engine has stopped".into(), "引擎已停止".into()),
            Fault::Unknown => text(
                "not saved: the engine reported a fault this version does not know; use the same baogong version on both sides".into(),
                "未保存:引擎报告了本版本无法识别的故障;请两端使用相同版本的 baogong".into(),
            ),
        }
    }
}

pub type Reply = Result<Outcome, Refusal>;

/// A listing or sheet asked of the state (`baogong stock`, `alerts`, `report daily`, `plan`, ...):
/// answered by whoever holds the state (the daemon, or the embedded engine) with only the
/// rendered rows, through the same `listing::render`, so the figures cannot differ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "listing", rename_all = "snake_case")]
pub enum Query {
    Zones {
        json: bool,
    },
    Points {
        json: bool,
    },
    Villages {
        json: bool,
    },
    Items {
        json: bool,
    },
    People {
        json: bool,
    },
    Duty {
        json: bool,
    },
    Vehicles {
        json: bool,
    },
    Stock {
        point: Option<String>,
        item: Option<String>,
        town: bool,
        batches: bool,
        json: bool,
    },
    Alerts {
        all: bool,
        json: bool,
    },
    Dispatches {
        all: bool,
        json: bool,
    },
    Daily {
        date: Option<chrono::NaiveDate>,
        format: SheetFormat,
    },
    Plan {
        item: Option<String>,
        level: Option<crate::domain::ResponseLevel>,
        format: SheetFormat,
    },
    Requests {
        village: Option<String>,
        point: Option<String>,
        status: Option<crate::domain::demand::RequestStatus>,
        json: bool,
    },
    Tallies {
        date: Option<chrono::NaiveDate>,
        json: bool,
    },
    Kits {
        json: bool,
    },
    Schedule {
        date: Option<chrono::NaiveDate>,
        zone: Option<String>,
        json: bool,
    },
    Households {
        village: Option<String>,
        due: bool,
        json: bool,
    },
    Cases {
        status: Option<crate::domain::hotline::CaseStatus>,
        overdue: bool,
        json: bool,
    },
    /// A listing a newer client knows and this daemon does not.
    #[serde(other)]
    Unknown,
}

/// How a sheet is written: plain text (the plan), Markdown, CSV (UTF-8 with BOM) or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetFormat {
    Text,
    Md,
    Csv,
    Json,
}

/// A rendered listing: what goes to stdout, and how the command ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub out: String,
    pub ending: Ending,
    /// The store has no event yet (the command says how to start one).
    pub empty_store: bool,
}

/// How a listing ended: listed, refused as an input (exit 2), or failed (exit 1), with the
/// message in the caller's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ending", rename_all = "snake_case")]
pub enum Ending {
    Listed,
    Rejected { message: String },
    Failed { message: String },
}

static AUTO_ID: AtomicU64 = AtomicU64::new(0);

/// The longest command id, in bytes.
pub const MAX_ID_BYTES: usize = 128;

/// The longest piece of a name (a user, a code) that stands in a made id as it is.
const MAX_ID_PART: usize = 40;

fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-')
}

/// A command id is at most `MAX_ID_BYTES` of `[A-Za-z0-9._:-]` (empty: the engine makes one).
/// Every surface sends ids through the engine, which checks this first.
pub fn check_id(id: &str) -> Result<(), Rejection> {
    if id.len() > MAX_ID_BYTES || !id.bytes().all(id_byte) {
        return Err(Rejection::new("id", Reason::BadId { max: MAX_ID_BYTES }));
    }
    Ok(())
}

/// `text` as it may stand in a made id: as it is when it is short and of the allowed bytes,
/// else `x` and a stable hash of it (a user 张三, a point code 测试点, a long batch name).
pub fn id_part(text: &str) -> String {
    if !text.is_empty() && text.len() <= MAX_ID_PART && text.bytes().all(id_byte) {
        return text.to_string();
    }
    // FNV-1a: the same text gives the same part in every build, so made ids stay stable.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    format!("x{hash:016x}")
}

/// `keep` then `rest` when that makes a valid command id, else each made to fit by `id_part`:
/// an id built from what a file says (a row's codes) always passes `check_id`.
pub fn fit_id(keep: &str, rest: &str) -> CmdId {
    let id = format!("{keep}{rest}");
    match check_id(&id) {
        Ok(()) => id,
        Err(_) => format!("{}{}", id_part(keep), id_part(rest)),
    }
}

/// Whether a recorded event may answer `req` from `caller` as its resend: an id is bound to
/// the user who first used it and to that command.
pub fn check_resend(ev: &Event, caller: &Caller, req: &Request) -> Result<(), Rejection> {
    let id = ev.cmd_id.clone();
    if ev.actor != caller.user {
        return Err(Rejection::new("id", Reason::IdOfOtherUser { id }));
    }
    if ev.cmd != req.cmd {
        return Err(Rejection::new("id", Reason::IdForOtherCommand { id }));
    }
    Ok(())
}

/// A command id unique to this process and moment, for callers that give none; `prefix` (a
/// user name, say) is made to fit the id rule.
pub fn fresh_id(prefix: &str) -> CmdId {
    let n = AUTO_ID.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    format!("{}-{}-{nanos:x}-{n}", id_part(prefix), std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fault crosses the socket by kind and reads in the caller's language.
    #[test]
    fn a_fault_survives_the_wire_and_speaks_chinese() {
        let fault = Fault::DiskFull { dir: "/srv/baogong".into(), detail: "no space left on the device".into() };
        let reply: Reply = Err(Refusal::Fault(fault.clone()));
        let back: Reply = serde_json::from_str(&serde_json::to_string(&reply).expect("encodes")).expect("decodes");
        assert_eq!(back, reply);
        let en = fault.message(Lang::En);
        assert!(en.starts_with("not saved: disk full: the store at /srv/baogong"), "{en}");
        let zh = fault.message(Lang::Zh);
        assert!(zh.starts_with("未保存:磁盘已满:/srv/baogong"), "{zh}");
        assert!(Fault::Stopped.message(Lang::Zh).contains("引擎已停止"));
        let unsure = Fault::Unconfirmed { dir: "/srv/baogong".into(), detail: "file size limit reached".into() };
        assert!(
            unsure.message(Lang::En).starts_with("perhaps not saved"),
            "the reply does not claim nothing was saved"
        );
        assert!(unsure.message(Lang::Zh).starts_with("可能未保存"));
        let unknown: Fault = serde_json::from_str(r#"{"fault":"melted"}"#).expect("an unknown fault decodes");
        assert_eq!(unknown, Fault::Unknown);
    }
}
