//! The delivery-point face (`baogong point P02`, issue 16): `c` offers only the transfers on
//! their way to the point, oldest sent first, filled in with the selected or the only one; a
//! dispatch that is not on its way there is marked in both languages, as typed, and the engine
//! refuses it from the point's clerk; Tab and Shift-Tab move through the boxes in reading order,
//! the focused one drawn as on the console, and Up/Down/Enter act in it; the boxes are as tall
//! as what they hold (snapshots at 80x24, 120x40 and 200x50 in English and Chinese).

use crate::support::tui::{demo_engine, demo_state, key, keys, model_with};
use baogong::api::{Caller, Refusal, Request};
use baogong::domain::access::Access;
use baogong::domain::command::{Command, Dest, Face};
use baogong::domain::reject::Reason;
use baogong::domain::state::{Dispatch, DispatchStatus};
use baogong::domain::{Lang, Qty, State};
use baogong::proto::FaceKind;
use baogong::tui::faces::render;
use baogong::tui::form::FormKind;
use baogong::tui::keymap::Layer;
use baogong::tui::model::{alert_rows, delivery_rows, incoming_rows, price_rows, Model, Panel};
use baogong::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;
use std::sync::OnceLock;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

/// The demo town's only transfer in transit: the depot's rice on its way to P02.
const DEPOT_RICE: &str = "D13761";

/// The transfers logged on top of the demo town: one P02 sent (to P05), one between two other
/// points (P03 to P04), and a second one on its way to P02 (from P04), sent after the depot's.
struct Extra {
    state: State,
    sent: String,
    others: String,
    inbound: String,
}

fn send(engine: &mut baogong::engine::Engine, id: &str, from: &str, to: &str) -> String {
    let cmd = Command::Dispatch {
        from: from.into(),
        to: Dest::Point(to.into()),
        item: "rice".into(),
        qty: Qty::units(10),
        vehicle: None,
        note: String::new(),
        requests: vec![],
    };
    let out = engine.submit(&Caller::officer("t", Face::Cli), Request { cmd_id: id.into(), cmd });
    out.expect("the transfer is logged").dispatch.expect("a dispatch id")
}

fn extra() -> &'static Extra {
    static EXTRA: OnceLock<Extra> = OnceLock::new();
    EXTRA.get_or_init(|| {
        let (_dir, mut engine) = demo_engine();
        let sent = send(&mut engine, "x1", "P02", "P05");
        let others = send(&mut engine, "x2", "P03", "P04");
        let inbound = send(&mut engine, "x3", "P04", "P02");
        Extra { state: engine.state().clone(), sent, others, inbound }
    })
}

fn point_face(state: State, lang: Lang, point: &str) -> Model {
    let mut m = model_with(state, lang);
    m.face = FaceKind::Point { point: point.into() };
    m.stock_point = Some(point.into());
    m
}

fn candidates(m: &Model) -> Vec<String> {
    let form = m.form().expect("a form is open");
    form.candidates(&m.state, m.lang).into_iter().map(|c| c.code).collect()
}

fn dispatch_field(m: &Model) -> &baogong::tui::form::Field {
    let form = m.form().expect("a form is open");
    assert_eq!(form.kind, FormKind::Receive);
    form.fields.iter().find(|f| f.name == "dispatch").expect("a dispatch field")
}

fn draw(m: &Model, (w, h): (u16, u16)) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(m, Theme { color: true }, f)).expect("draw");
    t
}

fn text(m: &Model, size: (u16, u16)) -> String {
    format!("{}", draw(m, size).backend())
}

#[test]
fn c_offers_only_the_transfers_on_their_way_to_the_point_oldest_first() {
    let x = extra();
    let mut m = point_face(x.state.clone(), Lang::En, "P02");
    key(&mut m, "c");
    // Two on their way: nothing selected in the box, so nothing is chosen for the clerk.
    assert_eq!(dispatch_field(&m).value(), "");
    assert_eq!(candidates(&m), vec![DEPOT_RICE.to_string(), x.inbound.clone()], "only P02's, oldest sent first");
    // Typing narrows them but never offers another point's.
    keys(&mut m, "D1");
    let offered = candidates(&m);
    assert!(!offered.contains(&x.sent) && !offered.contains(&x.others), "{offered:?}");
    // The console still offers every transfer in transit.
    let mut console = model_with(x.state.clone(), Lang::En);
    key(&mut console, "c");
    let all = candidates(&console);
    for id in [DEPOT_RICE, &x.sent, &x.others, &x.inbound] {
        assert!(all.iter().any(|c| c == id), "the console offers {id}: {all:?}");
    }
}

#[test]
fn c_fills_in_the_only_transfer_or_the_one_selected_in_the_box() {
    // The demo town has one on its way to P02: it is filled in, and Enter sends it.
    let mut m = point_face(demo_state(), Lang::En, "P02");
    key(&mut m, "c");
    assert_eq!(dispatch_field(&m).value(), DEPOT_RICE);
    let sent = crate::support::tui::submitted(key(&mut m, "<Enter>")).1;
    assert!(matches!(&sent, Command::Receive { dispatch, .. } if dispatch == DEPOT_RICE), "{sent:?}");
    // With two, the one selected in "Transfers coming in": `c`, or Enter on it.
    let x = extra();
    let mut m = point_face(x.state.clone(), Lang::En, "P02");
    keys(&mut m, "<Tab><Tab>");
    assert_eq!(m.panel, Panel::Incoming);
    assert_eq!(
        incoming_rows(&m).iter().map(|d| Dispatch::label(d.id)).collect::<Vec<_>>(),
        [DEPOT_RICE.to_string(), x.inbound.clone()]
    );
    keys(&mut m, "<Down>c");
    assert_eq!(dispatch_field(&m).value(), x.inbound);
    keys(&mut m, "<Esc><Up><Enter>");
    assert_eq!(dispatch_field(&m).value(), DEPOT_RICE, "Enter on the first one");
}

#[test]
fn a_dispatch_not_on_its_way_to_the_point_is_marked_as_typed() {
    let x = extra();
    for (lang, want) in [(Lang::En, "is not on its way to P02"), (Lang::Zh, "不是发往 P02 的在途调拨单")] {
        for id in [&x.others, &x.sent] {
            let mut m = point_face(x.state.clone(), lang, "P02");
            key(&mut m, "c");
            keys(&mut m, id);
            key(&mut m, "<Tab>");
            let field = dispatch_field(&m);
            assert_eq!(field.value(), id.as_str(), "what was typed stays");
            let error = baogong::tui::form::error_text(field.error.as_deref().expect("marked on Tab"), lang);
            assert_eq!(error, format!("{id} {want}"));
            // The screen names the field beside it.
            let screen = text(&m, (120, 40));
            assert!(screen.contains(&format!("{id}  {id} {want}")), "{screen}");
            // Enter does not send it either, and marks it again.
            keys(&mut m, "<S-Tab>");
            assert!(key(&mut m, "<Enter>").is_empty(), "{id} must not be sent");
            assert!(dispatch_field(&m).error.is_some());
            assert_eq!(m.form().map(|f| f.focus), Some(0), "the focus is back on the dispatch");
        }
    }
    // On the console the same ids are fine to type.
    let mut console = model_with(x.state.clone(), Lang::En);
    key(&mut console, "c");
    keys(&mut console, &format!("{}<Tab>", x.others));
    assert!(dispatch_field(&console).error.is_none());
}

#[test]
fn the_engine_refuses_the_clerk_a_transfer_addressed_elsewhere() {
    let (_dir, mut engine) = demo_engine();
    let sent = send(&mut engine, "y1", "P02", "P05");
    let others = send(&mut engine, "y2", "P03", "P04");
    let clerk = Caller { user: "clerk".into(), access: Access::Point("P02".into()), face: Face::Point };
    for (n, id) in [&sent, &others].into_iter().enumerate() {
        let cmd = Command::Receive { dispatch: id.clone(), qty: None, note: String::new() };
        let out = engine.submit(&clerk, Request { cmd_id: format!("r{n}"), cmd });
        match out {
            Err(Refusal::Rejected(r)) => {
                assert_eq!(r.field, "dispatch");
                assert_eq!(r.reason, Reason::OtherPoint { own: "P02".into() });
            }
            other => panic!("{id} received by P02's clerk: {other:?}"),
        }
    }
    let own = Command::Receive { dispatch: DEPOT_RICE.into(), qty: None, note: String::new() };
    engine.submit(&clerk, Request { cmd_id: "r-own".into(), cmd: own }).expect("its own transfer is received");
    let id = Dispatch::parse_label(DEPOT_RICE).expect("a label");
    assert_eq!(engine.state().dispatch(id).map(Dispatch::status), Some(DispatchStatus::Received));
}

/// The colour of the first cell of `title` on the screen.
fn title_fg(t: &Terminal<TestBackend>, title: &str) -> Option<Color> {
    let buf = t.backend().buffer();
    let w = buf.area.width as usize;
    let rows: Vec<String> = (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
        .collect();
    for (y, row) in rows.iter().enumerate() {
        if let Some(byte) = row.find(title) {
            // Cells of one symbol each up to here (the titles sit after box-drawing characters).
            let x = row[..byte].chars().count().min(w - 1);
            return Some(buf[(x as u16, y as u16)].fg);
        }
    }
    None
}

#[test]
fn tab_moves_through_the_boxes_in_reading_order_and_marks_the_focused_one() {
    let x = extra();
    let mut m = point_face(x.state.clone(), Lang::En, "P02");
    let order = [Panel::Requests, Panel::Incoming, Panel::Deliveries, Panel::Prices, Panel::Alerts, Panel::Stock];
    let titles = [
        (Panel::Stock, " Stock & cover"),
        (Panel::Requests, " Requests ("),
        (Panel::Incoming, " Transfers coming in"),
        (Panel::Deliveries, " Sent out today"),
        (Panel::Prices, " Prices today"),
        (Panel::Alerts, " Alerts ("),
    ];
    assert_eq!(m.panel, Panel::Stock);
    key(&mut m, "<Esc>");
    assert_eq!(m.stock_point.as_deref(), Some("P02"), "Esc keeps the stock box on the own point");
    for want in order {
        key(&mut m, "<Tab>");
        assert_eq!(m.panel, want);
        let t = draw(&m, (120, 40));
        for (p, title) in titles {
            let fg = title_fg(&t, title).unwrap_or_else(|| panic!("{title} is on the screen"));
            assert_eq!(fg == Color::Cyan, p == want, "{title} marked as focused: {fg:?} with {want:?} focused");
        }
    }
    for want in order.iter().rev().skip(1) {
        key(&mut m, "<S-Tab>");
        assert_eq!(m.panel, *want);
    }
    // Up and Down move in the focused box; Enter on a delivery waiting for the checkpoint
    // opens the signature form for it.
    while m.panel != Panel::Deliveries {
        key(&mut m, "<Tab>");
    }
    let waiting = delivery_rows(&m)
        .iter()
        .position(|d| d.signed_by.is_none() && !d.requests.is_empty())
        .expect("a delivery waits for its signature");
    for _ in 0..waiting {
        key(&mut m, "<Down>");
    }
    assert_eq!(m.selected(Panel::Deliveries), waiting);
    let label = Dispatch::label(delivery_rows(&m)[waiting].id);
    key(&mut m, "<Enter>");
    let form = m.form().expect("Enter opens a form");
    assert_eq!(form.kind, FormKind::Deliver);
    assert_eq!(form.fields[0].value(), label);
    // Enter on a price logs that item's price again.
    key(&mut m, "<Esc>");
    keys(&mut m, "<Tab><Down>");
    let item = price_rows(&m)[1].0.to_string();
    key(&mut m, "<Enter>");
    let form = m.form().expect("Enter on a price opens the price form");
    assert_eq!(form.kind, FormKind::Price);
    assert!(form.fields.iter().any(|f| f.name == "item" && f.value() == item));
}

#[test]
fn help_and_the_footer_name_the_keys_of_the_boxes() {
    for (lang, tab, enter) in [
        (Lang::En, "next / previous box", "receive a transfer coming in"),
        (Lang::Zh, "下一个/上一个面板", "签收在途调入"),
    ] {
        let mut m = point_face(demo_state(), lang, "P02");
        assert!(text(&m, (120, 40)).contains("Tab/S-Tab"), "the footer names Tab");
        key(&mut m, "?");
        assert_eq!(m.layer(), Layer::Help);
        let help = text(&m, (120, 40));
        assert!(help.contains(tab) && help.contains(enter), "{help}");
        let note = if lang == Lang::En { "Tab goes through the boxes" } else { "Tab 依次切换面板" };
        assert!(help.contains(note), "help says the order of the boxes: {help}");
    }
}

#[test]
fn every_alert_and_price_shows_where_there_is_room() {
    let x = extra();
    for (lang, _) in LANGS {
        for size in [(120, 40), (200, 50)] {
            for point in ["P02", "P03", "P09"] {
                let m = point_face(x.state.clone(), lang, point);
                let screen = text(&m, size);
                for a in alert_rows(&m) {
                    assert!(screen.contains(&format!("{} {}", a.subject, a.kind.label(lang))), "{size:?}: {screen}");
                }
                for (item, _) in price_rows(&m) {
                    let name = m.state.items.get(item).map(|i| i.name(lang).to_string()).expect("an item");
                    assert!(screen.contains(&name), "{point} {size:?} shows the price of {name}: {screen}");
                }
                for d in incoming_rows(&m) {
                    assert!(screen.contains(&Dispatch::label(d.id)), "{size:?}: {screen}");
                }
            }
        }
    }
}

/// The rows of the box at the left edge whose title starts with `title`: (rows inside it,
/// how many of them are blank).
fn left_box(screen: &str, title: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = screen.lines().map(|l| l.trim_start_matches('"')).collect();
    let top = lines.iter().position(|l| l.starts_with(&format!("┌ {title}")))?;
    let inside: Vec<&str> = lines[top + 1..].iter().take_while(|l| l.starts_with('│')).copied().collect();
    let blank = inside.iter().filter(|l| l.chars().skip(1).take_while(|c| *c != '│').all(|c| c == ' ')).count();
    Some((inside.len(), blank))
}

#[test]
fn the_stock_keeps_no_empty_lines_while_the_requests_are_cut() {
    let x = extra();
    for (lang, _) in LANGS {
        let (stock, requests) = match lang {
            Lang::En => ("Stock & cover", "Requests"),
            Lang::Zh => ("库存与保障天数", "需求单"),
        };
        for size in [(120, 40), (200, 50)] {
            for point in ["P02", "P03", "P09"] {
                let m = point_face(x.state.clone(), lang, point);
                let screen = text(&m, size);
                let (_, blank) = left_box(&screen, stock).expect("the stock box");
                let (rows, _) = left_box(&screen, requests).expect("the requests box below it");
                // Rows inside the requests box: a header, then its requests.
                let all_shown = baogong::tui::model::request_rows(&m).len() < rows;
                assert!(blank == 0 || all_shown, "{point} {size:?}: {blank} empty stock lines, requests cut: {screen}");
            }
        }
    }
}

#[test]
fn boxes_share_the_lines_by_what_they_hold() {
    use baogong::tui::faces::point::fit;
    assert_eq!(fit(&[3, 24, 11, 6], 38), vec![3, 18, 11, 6], "the short ones whole, the long one the rest");
    assert_eq!(fit(&[22, 30], 38), vec![19, 19], "both too tall: equal shares");
    assert_eq!(fit(&[3, 5], 20), vec![3, 17], "lines nobody needs go to the last box");
    assert_eq!(fit(&[10, 10, 10], 7), vec![3, 2, 2]);
}

#[test]
fn point_face_snapshots() {
    let x = extra();
    for (lang, tag) in LANGS {
        for size in SIZES {
            let m = point_face(x.state.clone(), lang, "P02");
            crate::support::tui::snap("point_face", &m, "P02", size, tag);
        }
        // The receipt form over the face, with the box of transfers coming in focused.
        let mut m = point_face(x.state.clone(), lang, "P02");
        keys(&mut m, "<Tab><Tab><Down>c");
        crate::support::tui::snap("point_face", &m, "P02_receive", (120, 40), tag);
    }
}
