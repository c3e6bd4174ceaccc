//! baogong (保供): the supply-assurance operations console. See README.md and DESIGN.md.

pub mod api;
pub mod backup;
pub mod cli;
pub mod config;
pub mod county;
pub mod domain;
pub mod engine;
pub mod i18n;
pub mod import;
pub mod link;
pub mod listing;
pub mod plan_sheet;
pub mod proto;
pub mod report;
pub mod scenario;
pub mod store;
pub mod text;
pub mod tui;
pub mod uplink;
pub mod views;
