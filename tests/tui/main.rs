//! The console and the point and wall faces without a terminal: `update` fed keys and replies
//! (`update`), every console screen as a snapshot (`snapshots`), the point and wall faces
//! (`faces`), bad input typed into every form (`bad_input`), the schedule screen (`schedule`), the
//! contacts on duty (`contacts`), the response levels and a scenario's names for them (`level`), columns sized by content (`sizing`), the status bar and
//! full-screen layers (`chrome`), the points filter by shortage and "no match" (`filters`),
//! the point face's receipts, boxes and Tab (`point_face`), the county's console and wall
//! (`county`), every screen in Chinese with no English word left (`zh_screens`). Imports
//! `baogong` and `support` only.

#[path = "../support/mod.rs"]
mod support;

mod agree;
mod alert_feed;
mod bad_input;
mod catch_up;
mod chrome;
mod clock_line;
mod contacts;
mod counts_unack;
mod county;
mod demand;
mod faces;
mod filters;
mod hotline;
mod level;
mod point_face;
mod schedule;
mod screens16;
mod sizing;
mod snapshots;
mod update;
mod vehicles;
mod zh_screens;
