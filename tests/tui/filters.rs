//! Issue 16, "which points are short?": the points filter matches the status and the codes of a
//! point's short items and the panel names them; a filter that hides every row says "no match
//! for /X", not "nothing here yet", in every list. Imports `baogong` and `support` only.

use crate::support::tui::{demo_model, keys, screen_text};
use baogong::domain::rules::cover::StockStatus;
use baogong::domain::Lang;
use baogong::tui::model::point_rows;

#[test]
fn slash_below_lists_only_the_points_short_of_something_and_names_the_items() {
    let mut m = demo_model(Lang::En);
    let all = point_rows(&m).len();
    keys(&mut m, "2/below<Enter>");
    let rows = point_rows(&m);
    assert!(!rows.is_empty() && rows.len() < all, "{} of {all} points are short", rows.len());
    for r in &rows {
        assert!(r.worst.is_some_and(|s| s <= StockStatus::BelowNorm), "{} is short", r.point.code);
        assert!(!r.short.is_empty());
    }
    let text = screen_text(&m, (120, 40));
    let first = &rows[0];
    let line =
        text.lines().find(|l| l.contains(&format!(" {} ", first.point.code))).expect("the first short point is drawn");
    assert!(line.contains(first.short[0]), "the row names its short item {}: {line}", first.short[0]);
}

#[test]
fn slash_an_item_code_lists_the_points_short_of_it() {
    let mut m = demo_model(Lang::En);
    keys(&mut m, "2/below<Enter>");
    let item = point_rows(&m)[0].short[0].to_string();
    let mut m = demo_model(Lang::En);
    keys(&mut m, &format!("2/{item}<Enter>"));
    let rows = point_rows(&m);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.short.contains(&item.as_str())), "every point listed is short of {item}");
}

#[test]
fn a_filter_that_hides_every_row_says_no_match() {
    for (lang, said) in [(Lang::En, "No match for /zzqq"), (Lang::Zh, "没有匹配 /zzqq")] {
        // Roster, points, stock, alerts, requests, then the hotline, households and vehicles screens.
        for prefix in ["1", "2", "3", "4", "5", "K", "H", "V"] {
            let mut m = demo_model(lang);
            keys(&mut m, &format!("{prefix}/zzqq<Enter>"));
            let text = screen_text(&m, (120, 40));
            assert!(text.contains(said), "{lang:?} after {prefix}: {said}\n{text}");
            assert!(!text.contains("Nothing here yet") && !text.contains("暂无数据"), "{lang:?} {prefix}");
        }
    }
}
