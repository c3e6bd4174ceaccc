//! Figures that agree (issue 12): the console's derived covers (stock panel, points panel, wall)
//! are the daily report's figures for today, point by point and for the town; `R` opens the
//! report on today; every item's town cover computed in one pass is the item-by-item figure.

use crate::support::tui::{demo_model, key, now};
use baogong::domain::alerts::Thresholds;
use baogong::domain::Lang;
use baogong::report;
use baogong::tui::model::{cover_rows, Overlay};

fn rounded(d: Option<f64>) -> Option<f64> {
    d.filter(|x| x.is_finite()).map(|x| (x * 10.0).round() / 10.0)
}

#[test]
fn the_console_and_todays_report_show_the_same_cover_and_status() {
    let m = demo_model(Lang::En);
    let r = report::daily(&m.state, now().date_naive(), now(), &Thresholds::default(), &[], Lang::En).expect("report");
    let mut compared = 0;
    for p in &r.points {
        for l in &p.items {
            let c = m.derived.covers.get(&(p.point.clone(), l.item.clone())).expect("the console has the pair");
            assert_eq!(
                (l.stock, l.days_of_cover, l.status),
                (c.qty.as_f64(), rounded(c.days), c.status),
                "{}/{}",
                p.point,
                l.item
            );
            compared += 1;
        }
    }
    assert!(compared > 50, "{compared} lines");
    let town = cover_rows(&m, None);
    for l in &r.totals {
        let c = &town.iter().find(|t| t.item.code == l.item).expect("town row").cover;
        assert_eq!(
            (l.stock, l.days_of_cover, l.status),
            (c.qty.as_f64(), rounded(c.days), c.status),
            "town/{}",
            l.item
        );
    }
}

#[test]
fn the_daily_report_opens_on_today() {
    let mut m = demo_model(Lang::En);
    key(&mut m, "R");
    assert!(matches!(m.overlays.last(), Some(Overlay::Report { date, .. }) if *date == now().date_naive()));
}

#[test]
fn every_items_town_cover_in_one_pass_is_the_item_by_item_figure_today_and_on_past_days() {
    let state = crate::support::tui::demo_state();
    let today = now().date_naive();
    for date in [today, today - chrono::Duration::days(1), today - chrono::Duration::days(3)] {
        let all = baogong::views::stock::town_covers_on(&state, date, today);
        assert_eq!(all.len(), state.items.len(), "{date}: one cover per item");
        for item in state.items.values() {
            let one = baogong::views::stock::cover_on(&state, None, item, date, today);
            assert_eq!(all.get(&item.code), Some(&one), "{date} {}", item.code);
        }
    }
}
