//! Issue 16, truncation: columns size by their content, the widest free column yields first,
//! and what identifies a row (codes, quantities with their units) is never cut, at every size
//! and in both languages. Imports `baogong` and `support` only.

use crate::support::tui::{demo_model, screen_text};
use baogong::domain::Lang;
use baogong::tui::model::{point_rows, stock_rows, Panel};
use baogong::tui::widgets::table::{fit, Col};
use ratatui::text::Line;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

/// The screen's lines as text (a wide character once, not followed by its blank cell).
fn lines(m: &baogong::tui::model::Model, size: (u16, u16)) -> Vec<String> {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1)).expect("terminal");
    t.draw(|f| baogong::tui::faces::render(m, baogong::tui::theme::Theme { color: false }, f)).expect("draw");
    let buf = t.backend().buffer().clone();
    let line = |y: u16| {
        let mut s = String::new();
        let mut x = 0;
        while x < size.0 {
            let sym = buf[(x, y)].symbol();
            s.push_str(sym);
            x += u16::try_from(baogong::text::width(sym).max(1)).unwrap_or(1);
        }
        s
    };
    (0..size.1).map(line).collect()
}

/// Whether `line` holds `token` as a whole word (bounded by a border, a space or the line's end).
fn holds(line: &str, token: &str) -> bool {
    line.match_indices(token).any(|(at, _)| {
        let before = line[..at].chars().last();
        let after = line[at + token.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| c == ' ' || c == '│');
        edge(before) && edge(after)
    })
}

#[test]
fn stock_codes_and_quantities_with_units_are_never_cut() {
    for lang in [Lang::En, Lang::Zh] {
        for size in SIZES {
            let mut m = demo_model(lang);
            m.panel = Panel::Stock;
            m.stock_point = Some("P03".into());
            let screen = lines(&m, size);
            let rows = stock_rows(&m);
            let mut seen = 0;
            for r in &rows {
                let name = r.item.name(lang);
                // The requests panel may name the item too; the stock row is the one with its quantity.
                let found: Vec<&String> =
                    screen.iter().filter(|l| holds(l, &r.item.code) && l.contains(name)).collect();
                if found.is_empty() {
                    continue;
                }
                let qty = format!("{} {}", r.cover.qty, baogong::i18n::unit(lang, &r.item.unit));
                assert!(
                    found.iter().any(|l| l.contains(&qty)),
                    "{lang:?} {size:?}: {} shows {qty:?}:\n{found:#?}",
                    r.item.code
                );
                seen += 1;
            }
            assert!(seen >= 3, "{lang:?} {size:?}: at least three stock rows are drawn with whole codes");
        }
    }
}

#[test]
fn point_codes_are_never_cut() {
    for lang in [Lang::En, Lang::Zh] {
        for size in SIZES {
            let mut m = demo_model(lang);
            m.panel = Panel::Points;
            let text = screen_text(&m, size);
            let codes: Vec<String> = point_rows(&m).iter().map(|r| r.point.code.clone()).collect();
            let screen = lines(&m, size);
            let whole = codes.iter().filter(|c| screen.iter().any(|l| holds(l, c))).count();
            assert!(whole >= 5, "{lang:?} {size:?}: only {whole} point codes drawn whole:\n{text}");
            for c in &codes {
                let cut = format!("{}~", &c[..c.len() - 1]);
                assert!(!screen.iter().any(|l| l.contains(&cut)), "{lang:?} {size:?}: {c} is cut");
            }
        }
    }
}

#[test]
fn the_widest_free_column_yields_first_and_a_whole_one_only_when_nothing_else_fits() {
    let cols = [Col::Whole, Col::Yields, Col::Yields, Col::Whole];
    let heads = ["code", "name", "note", "qty"];
    let rows = vec![vec![
        Line::from("V00381"),
        Line::from("Dongfeng village"),
        Line::from("call the secretary before noon"),
        Line::from("1200 bottles"),
    ]];
    // Natural widths 6 + 16 + 30 + 12 = 64: with 64 nothing yields, with more the last free
    // column takes the spare.
    assert_eq!(fit(&cols, &heads, &rows, 64), vec![6, 16, 30, 12]);
    assert_eq!(fit(&cols, &heads, &rows, 70), vec![6, 16, 36, 12]);
    // Short by 14: the note (widest free) narrows until it is as narrow as the name, then both.
    assert_eq!(fit(&cols, &heads, &rows, 50), vec![6, 16, 16, 12]);
    assert_eq!(fit(&cols, &heads, &rows, 44), vec![6, 13, 13, 12]);
    // Narrow: free columns stop at their first word; codes and quantities stay whole.
    assert_eq!(fit(&cols, &heads, &rows, 30), vec![6, 8, 4, 12], "\"Dongfeng\" and \"call\" are the floors");
    // Narrower than even that: all but the row's code narrow (each cut is marked `~`).
    let tight = fit(&cols, &heads, &rows, 12);
    assert_eq!(tight[0], 6, "the code stays whole");
    assert_eq!(tight.iter().map(|w| usize::from(*w)).sum::<usize>(), 12);
}

#[test]
fn alert_subjects_are_never_cut_while_the_kind_can_yield() {
    for lang in [Lang::En, Lang::Zh] {
        for size in SIZES {
            let mut m = demo_model(lang);
            m.panel = Panel::Alerts;
            let screen = lines(&m, size);
            // A point's or household's alert names its subject "P03/pork", "H001/antihyp".
            // Up to 20 cells: the large grid's alerts panel has room for that beside the other columns.
            let subjects: Vec<&str> = m
                .state
                .alerts
                .values()
                .map(|a| a.subject.as_str())
                .filter(|s| s.contains('/') && (size.0 < 160 || baogong::text::width(s) <= 20))
                .collect();
            let tokens: Vec<&str> = screen
                .iter()
                .flat_map(|l| l.split(['│', ' ']))
                .filter(|t| t.contains('/') && !t.contains("//"))
                .collect();
            let cut: Vec<&&str> = tokens
                .iter()
                .filter(|t| t.ends_with('~') && subjects.iter().any(|s| s.starts_with(t.trim_end_matches('~'))))
                .collect();
            assert!(cut.is_empty(), "{lang:?} {size:?}: subjects cut: {cut:?}");
            let whole = tokens.iter().filter(|t| subjects.contains(t)).count();
            assert!(whole >= 3, "{lang:?} {size:?}: at least three alert subjects drawn whole");
        }
    }
}
