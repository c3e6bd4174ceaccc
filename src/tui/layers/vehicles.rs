//! The vehicles screen (`V`): every vehicle of the town (on the point face only the point's
//! own), the pass ended or ending first: plate, its point, pass number, the pass's last day and
//! its status (EXPIRED in the alert colour, then ending within `pass_days` or before the
//! vehicle's next booked delivery slot as a warning, then valid), on wide terminals the point's
//! name and that next booked slot. Under the table the selected vehicle in full. `r` or Enter
//! renews the pass (the form sends what `log pass` sends). Drawn with the shared list screen.
//! Pure drawing from the model; must not import the loop (`tui::mod`), `cli`, `link` or the store.

use crate::domain::Lang;
use crate::i18n::t;
use crate::tui::model::{pass_status_text as status_text, vehicle_rows, Model, PassStatus, VehicleRow};
use crate::tui::theme::Theme;
use crate::tui::widgets::list_screen::{ListRows, ListScreen};
use crate::tui::widgets::table::{Cells, Col};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use ratatui::Frame;

/// Lines under the table for the selected vehicle.
const DETAIL_H: u16 = 2;

pub fn render(m: &Model, theme: Theme, f: &mut Frame, sel: usize, filter: &str) {
    let lang = m.lang;
    let rows = vehicle_rows(m);
    let expired = rows.iter().filter(|r| r.status == PassStatus::Expired).count();
    let warned = rows.iter().filter(|r| matches!(r.status, PassStatus::Ending | PassStatus::BeforeSlot)).count();
    let title = format!(
        " {} ({expired} {}, {warned} {}, {} {}) ",
        t(lang, "vehicles.title"),
        t(lang, "vehicles.expired"),
        t(lang, "vehicles.warned"),
        rows.len(),
        t(lang, "vehicles.listed"),
    );
    let cli =
        if matches!(m.face, crate::proto::FaceKind::Point { .. }) { "vehicles.cli_point" } else { "vehicles.cli" };
    let screen = ListScreen {
        title,
        filter,
        filtering: m.filtering(),
        cli: t(lang, cli),
        empty: crate::tui::widgets::empty_text(lang, filter, t(lang, "vehicles.none")),
        detail_height: DETAIL_H,
        selected: sel,
    };
    screen.render(f, theme, &Vehicles { m, rows, theme });
}

/// The vehicles listed, as the shared list screen draws them.
struct Vehicles<'a> {
    m: &'a Model,
    rows: Vec<VehicleRow<'a>>,
    theme: Theme,
}

impl ListRows for Vehicles<'_> {
    fn count(&self) -> usize {
        self.rows.len()
    }

    fn columns(&self, wide: bool) -> (Vec<&'static str>, Vec<Col>) {
        columns(self.m.lang, wide)
    }

    fn row(&self, i: usize, wide: bool) -> Cells<'static> {
        row(self.m, &self.rows[i], wide, self.theme)
    }

    fn detail(&self, i: usize) -> Vec<Line<'static>> {
        details(self.m, &self.rows[i], self.theme)
    }
}

fn columns(lang: Lang, wide: bool) -> (Vec<&'static str>, Vec<Col>) {
    let h = |k: &str| t(lang, k);
    let mut heads = vec![h("col.plate"), h("col.point"), h("col.pass_no"), h("col.valid_until"), h("col.status")];
    let mut widths = vec![Col::Whole, Col::Yields, Col::Whole, Col::Whole, Col::Whole];
    if wide {
        heads.push(h("col.next_slot"));
        widths.push(Col::Yields);
    }
    (heads, widths)
}

fn status_style(r: &VehicleRow, theme: Theme) -> Style {
    match r.status {
        PassStatus::Expired => theme.error(),
        PassStatus::Ending | PassStatus::BeforeSlot => theme.key(),
        PassStatus::Valid => theme.ok(),
    }
}

/// The next booked slot: "12-05 am (Q12)".
fn slot_text(r: &VehicleRow) -> String {
    r.next_slot.as_ref().map_or_else(
        || "-".to_string(),
        |s| format!("{} {} ({})", s.date.format("%m-%d"), crate::text::scrub(&s.slot), s.request),
    )
}

fn point_text(m: &Model, r: &VehicleRow, wide: bool) -> String {
    let code = &r.vehicle.point;
    match m.state.points.get(code) {
        Some(p) if wide => crate::text::scrub(&format!("{code} {}", p.name)),
        _ => crate::text::scrub(code),
    }
}

fn row(m: &Model, r: &VehicleRow, wide: bool, theme: Theme) -> Cells<'static> {
    let style = status_style(r, theme);
    let plate = if r.status == PassStatus::Expired { theme.error() } else { theme.base() };
    let mut cells = vec![
        Line::from(Span::styled(crate::text::scrub(&r.vehicle.plate), plate)),
        Line::from(point_text(m, r, wide)),
        Line::from(crate::text::scrub(&r.vehicle.pass_no)),
        Line::from(r.vehicle.pass_valid_until.to_string()),
        Line::from(Span::styled(status_text(r, m.lang), style)),
    ];
    if wide {
        cells.push(Line::from(slot_text(r)));
    }
    Cells::new(cells)
}

/// The selected vehicle: plate, status, the pass's last day and number, point, the next booked slot,
/// and what `r` does.
fn details(m: &Model, r: &VehicleRow, theme: Theme) -> Vec<Line<'static>> {
    let lang = m.lang;
    let head = format!(
        "{} · {} · {} {} · {} {} · {}",
        crate::text::scrub(&r.vehicle.plate),
        status_text(r, lang),
        t(lang, "col.valid_until"),
        r.vehicle.pass_valid_until,
        t(lang, "col.pass_no"),
        crate::text::scrub(&r.vehicle.pass_no),
        point_text(m, r, true),
    );
    let hint =
        if matches!(m.face, crate::proto::FaceKind::Point { .. }) { "vehicles.hint_point" } else { "vehicles.hint" };
    let next = format!("{} {} · {}", t(lang, "col.next_slot"), slot_text(r), t(lang, hint));
    vec![Line::styled(head, status_style(r, theme)), Line::styled(next, theme.dim())]
}
