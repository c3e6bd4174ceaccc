//! `StoreError` in the user's language: the same facts and the same advice as its English
//! `Display`, in Chinese. Imports only `domain::Lang`.

use super::{Holder, StoreError, SCHEMA_VERSION};
use crate::domain::Lang;

impl Holder {
    fn described_zh(self) -> &'static str {
        match self {
            Holder::Daemon => "保供守护进程",
            Holder::Console => "一个保供值班台",
            Holder::Point => "一个保供送货点终端",
            Holder::Wall => "一个保供大屏",
            Holder::Command => "一条保供命令",
        }
    }
}

impl StoreError {
    /// The error in `lang`: English is the `Display` text.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let pid = |p: &Option<u32>| p.map(|p| format!("(进程号 {p})")).unwrap_or_default();
        match self {
            StoreError::Locked { dir, pid: p, holder: Some(Holder::Daemon) } => format!(
                "{} 的数据库正被保供守护进程{}占用,它正在启动,尚未打开套接字;请稍后再试,若持续如此请查看其日志",
                dir.display(),
                pid(p)
            ),
            StoreError::Locked { dir, pid: p, holder } => format!(
                "{} 的数据库正被{}{}直接打开占用;请先关闭它,再启动 `baogong serve`,以便多个值班台和命令同时使用",
                dir.display(),
                holder.map_or("另一个保供程序", Holder::described_zh),
                pid(p)
            ),
            StoreError::NewerSchema { dir, found } => format!(
                "{} 的数据库结构版本为 {found},比本程序支持的版本({SCHEMA_VERSION})新;请使用更新的保供,或用它执行 `baogong export events` 迁移数据",
                dir.display()
            ),
            StoreError::OlderSchema { dir, found } => format!(
                "{} 的数据库结构版本为 {found},比本程序的版本({SCHEMA_VERSION})旧;请用写入它的保供执行 `baogong export events` 导出,再用本程序 `baogong import events` 导入空的数据目录",
                dir.display()
            ),
            StoreError::Corrupt { dir, detail } => format!(
                "{} 的数据库已损坏({detail});请用 `baogong export events > 文件` 保存仍可读取的内容,再用 `baogong import events 文件` 恢复到新的数据目录",
                dir.display()
            ),
            StoreError::Io { dir, detail } => format!("{} 的数据库无法使用:{detail}", dir.display()),
            StoreError::Full { dir, detail } => format!(
                "磁盘已满:{} 的数据库没有写入空间({detail}),未保存任何内容。请清理该磁盘,有空间后会自动恢复保存,无需重启",
                dir.display()
            ),
            StoreError::ReadOnly { dir } => format!(
                "只读:{} 的数据库位于只读文件系统,未保存任何内容。请以读写方式重新挂载(或移动数据目录)后重试",
                dir.display()
            ),
            StoreError::Insecure { dir, mode } => format!(
                "拒绝使用 {}:所有用户都可写入(权限 {mode:04o}),任何人都能替换数据库或套接字;请执行 `chmod o-w {}` 后重新启动",
                dir.display(),
                dir.display()
            ),
        }
    }
}
