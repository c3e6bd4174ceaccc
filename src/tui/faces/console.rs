//! The duty officer's console: status bar, the five panels (a grid on large terminals, tabs on
//! small ones), footer. Pure drawing; must not import the loop, `cli` or `link`.
//!
//! ```text
//! +- status bar: town | level | date time | on duty / leader (until) | critical | face -+
//! | tab bar (small terminals only): 1 roster  2 points  3 stock  4 alerts  5 requests    |
//! | large (>= 160x45):                      | small: the focused panel                  |
//! |  1 roster  | 2 points                    |                                           |
//! |  3 stock        | 4 alerts   | 5 requests |                                           |
//! +- footer: key hints from the keymap, or a toast ---------------------------------------+
//! ```
//! Forms, plan, report, help and questions are layers drawn over it (`tui::layers`).

use super::{GRID_H, GRID_W};
use crate::tui::chrome::{footer, status_bar, tab_bar};
use crate::tui::model::{Model, Panel};
use crate::tui::panels;
use crate::tui::theme::Theme;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, area: Rect) {
    let grid = area.width >= GRID_W && area.height >= GRID_H;
    let [status, body, foot] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    status_bar::render(m, theme, f, status);
    if grid {
        // Read left to right, top to bottom, in the panels' numbers (the order Tab cycles).
        let [top, bottom] = Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body);
        let [tl, tr] = Layout::horizontal([Constraint::Percentage(30), Constraint::Percentage(70)]).areas(top);
        let [bl, bm, br] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(35), Constraint::Percentage(25)])
                .areas(bottom);
        panels::render(m, theme, f, Panel::Roster, tl);
        panels::render(m, theme, f, Panel::Points, tr);
        panels::render(m, theme, f, Panel::Stock, bl);
        panels::render(m, theme, f, Panel::Alerts, bm);
        panels::render(m, theme, f, Panel::Requests, br);
    } else {
        let [tabs, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(body);
        tab_bar::render(m, theme, f, tabs);
        panels::render(m, theme, f, m.panel, rest);
    }
    footer::render(m, theme, f, foot);
}
