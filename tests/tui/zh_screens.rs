//! Issue 16, "Chinese throughout", the screens: with `Lang::Zh` on the demo town, every screen
//! the console and the point face can show (the grid with each panel focused, every full-screen
//! layer and overlay a key opens, every form with a candidate list showing, help on top of each
//! layer, the quit question, drafts, a value marked wrong, a toast, the too-small screen), the
//! wall and the county's faces, at 80x24 and 120x40 (the grid, the wall and the point face also
//! at 200x50), each fail on any ASCII word that is not a code of the store, a number, date or
//! time, a unit symbol the locale allows, a key name shown as a key hint, a shell command the
//! screen suggests (`baogong cases --json`) or a piece of a code an overlay cuts. The failure
//! names each screen and its words. The checker is `support::zh::english_words`, shared with the
//! command line's `zh_everywhere`. Imports `baogong` and `support` only.

use crate::support::tui::{ctrl, demo_model, demo_state, keys, now};
use crate::support::zh::english_words;
use baogong::domain::{Lang, State};
use baogong::proto::FaceKind;
use baogong::tui::model::Model;
use baogong::tui::update::{update, Effect, Msg};
use std::collections::BTreeSet;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const GRID: (u16, u16) = (200, 50);

/// Key names as the footers and help show them: the only ASCII words that are not data.
const KEY_NAMES: [&str; 20] = [
    "Tab", "S-Tab", "Esc", "Enter", "PgUp", "PgDn", "Home", "End", "Up", "Down", "Left", "Right", "BS", "Del",
    "Ctrl-U", "Ctrl-C", "Ctrl-A", "Ctrl-E", "Ctrl-W", "Ctrl-K",
];

/// What may stay ASCII on a Chinese screen: the codes of the store (zones, points, villages,
/// items, vehicles and their passes, households; numbered ids hold a digit and pass anyway),
/// the delivery slots, the unit symbols the locale allows, the date format, key names, and
/// single letters (a key hint).
fn codes(state: &State) -> BTreeSet<String> {
    // The date format a date field asks for, as the command line's errors give it.
    let fixed = ["kg", "L", "YYYY-MM-DD"];
    let mut set: BTreeSet<String> = fixed.into_iter().chain(KEY_NAMES).map(str::to_string).collect();
    set.extend(state.zones.keys().cloned());
    set.extend(state.points.keys().cloned());
    set.extend(state.villages.keys().cloned());
    set.extend(state.items.keys().cloned());
    set.extend(state.households.keys().cloned());
    set.extend(state.settings.slots.iter().map(|s| s.code.clone()));
    for v in state.vehicles.values() {
        set.extend([v.plate.clone(), v.pass_no.clone()]);
    }
    set.extend(('a'..='z').chain('A'..='Z').map(String::from));
    set
}

/// The screen `m` draws at `w`x`h` as plain text, one line per row.
fn plain(m: &Model, (w, h): (u16, u16)) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| baogong::tui::faces::render(m, baogong::tui::theme::Theme { color: false }, f)).expect("draw");
    crate::support::tui::plain_text(t.backend().buffer())
}

/// `text` without the command hints a screen gives for the shell (`baogong cases --json`, to the
/// end of its title or line: typed as they are in any language) and without the pieces of codes
/// an overlay's border cuts (`odles` of `noodles` beside a `│`, `odl` of `P06/noodl~`).
fn without_commands_and_cut_codes(text: &str, codes: &BTreeSet<String>) -> String {
    let border = |c: char| ('\u{2500}'..='\u{257f}').contains(&c);
    let in_word = |c: char| c.is_ascii_alphanumeric() || "-._/+".contains(c);
    let mut out = String::new();
    for line in text.lines() {
        let mut line = line.to_string();
        while let Some(at) = line.find("baogong ") {
            let end = line[at..].find(border).map_or(line.len(), |e| at + e);
            line.replace_range(at..end, &" ".repeat(end - at));
        }
        let chars: Vec<char> = line.chars().collect();
        let mut kept = String::new();
        let mut i = 0;
        while i < chars.len() {
            if !in_word(chars[i]) {
                kept.push(chars[i]);
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && in_word(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let beside_border = (start > 0 && border(chars[start - 1])) || chars.get(i).is_some_and(|c| border(*c));
            let cut = codes.iter().any(|c| c.len() > word.len() && c.contains(&word));
            kept.push_str(&if beside_border && cut { " ".repeat(word.len()) } else { word });
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Collects the screens and what is wrong with them.
struct Check {
    codes: BTreeSet<String>,
    seen: usize,
    failures: Vec<String>,
}

impl Check {
    fn new() -> Check {
        Check { codes: codes(&demo_state()), seen: 0, failures: Vec::new() }
    }

    fn text(&mut self, screen: &str, text: &str) {
        self.seen += 1;
        let bad = english_words(&without_commands_and_cut_codes(text, &self.codes), &[], &self.codes);
        if !bad.is_empty() {
            let set: BTreeSet<&String> = bad.iter().collect();
            self.failures.push(format!("{screen}: {set:?}\n{text}"));
        }
    }

    fn screen(&mut self, name: &str, m: &Model, sizes: &[(u16, u16)]) {
        for &(w, h) in sizes {
            let text = plain(m, (w, h));
            self.text(&format!("{name} {w}x{h}"), &text);
        }
    }

    /// The screen `ks` lead to from `start`, then help on top of it.
    fn with_help(&mut self, name: &str, start: Start, ks: &str, sizes: &[(u16, u16)]) {
        let mut m = at(start, ks);
        self.screen(name, &m, sizes);
        keys(&mut m, "?");
        self.screen(&format!("{name} + ?"), &m, sizes);
    }

    /// Fails listing every screen with English words; also when fewer than `at_least` were seen.
    fn finish(self, at_least: usize) {
        assert!(self.seen >= at_least, "only {} screens checked", self.seen);
        assert!(
            self.failures.is_empty(),
            "{} of {} screens show English words:\n{}",
            self.failures.len(),
            self.seen,
            self.failures.join("\n")
        );
    }
}

/// Where a screen starts: the console, or a point's face.
#[derive(Clone, Copy)]
enum Start {
    Console,
    Point(&'static str),
    /// The console or a point's face, its requests panel on the first request awaiting approval.
    Pending(Option<&'static str>),
}

/// The face `start` in Chinese after `ks` (a `^` types Ctrl-U).
fn at(start: Start, ks: &str) -> Model {
    let mut m = demo_model(Lang::Zh);
    if let Start::Point(point) | Start::Pending(Some(point)) = start {
        m.stock_point = Some(point.to_string());
        m.face = FaceKind::Point { point: point.to_string() };
    }
    if let Start::Pending(_) = start {
        use baogong::domain::demand::RequestStatus;
        use baogong::tui::model::{request_rows, Panel};
        let at = request_rows(&m).iter().position(|r| r.status() == RequestStatus::Requested);
        m.panel = Panel::Requests;
        m.sel[Panel::Requests as usize] = at.expect("a request awaits approval");
    }
    for (n, part) in ks.split('^').enumerate() {
        if n > 0 {
            update(&mut m, ctrl('u'));
        }
        keys(&mut m, part);
    }
    m
}

fn zh() -> Model {
    at(Start::Console, "")
}

/// The form `k` opens from `m`, as opened and with its focused field emptied and `typed`
/// typed into it (the candidate list showing), each with help on top.
fn forms(c: &mut Check, name: &str, start: Start, before: &str, form_keys: &[(&str, &str)]) {
    for (k, typed) in form_keys {
        let open = format!("{before}{k}");
        if at(start, &open).form().is_none() {
            c.failures.push(format!("{name}: {k} opens no form"));
            continue;
        }
        c.with_help(&format!("{name} {k}"), start, &open, &SIZES);
        let mut f = at(start, &format!("{open}^{typed}"));
        c.screen(&format!("{name} {k} typing {typed}"), &f, &SIZES);
        // Every field in turn, each with its completions.
        for n in 0..6 {
            keys(&mut f, "<Tab>");
            c.screen(&format!("{name} {k} field {n}"), &f, &[(80, 24)]);
        }
    }
}

#[test]
fn every_console_screen_reads_in_chinese() {
    use Start::Console as C;
    let mut c = Check::new();
    // The grid with each panel focused (at 200x50 all five show), a filter typed on each.
    for panel in ["1", "2", "3", "4", "5"] {
        c.with_help(&format!("panel {panel}"), C, panel, &[SIZES[0], SIZES[1], GRID]);
        for (what, ks) in [("g", "g"), ("filtering", "/P0"), ("filtered", "/P0<Enter>"), ("no match", "/zzz<Enter>")] {
            c.screen(&format!("panel {panel} {what}"), &at(C, &format!("{panel}{ks}")), &SIZES);
        }
    }
    c.screen("alerts flat", &at(C, "4G"), &[SIZES[0], SIZES[1], GRID]);
    c.screen("alert group open", &at(C, "4<Enter>"), &[SIZES[0], SIZES[1], GRID]);
    c.screen("too small", &zh(), &[(50, 10), (59, 24), (80, 14)]);
    c.screen("report two days back", &at(C, "R[["), &SIZES);
    c.screen("hotline filtered", &at(C, "K/王"), &SIZES);
    c.screen("households filtered", &at(C, "H/V0<Enter>"), &SIZES);
    c.screen("vehicles filtered", &at(C, "V/P05<Enter>"), &SIZES);
    c.screen("contacts of a point", &at(C, "2<Down><Down>o"), &SIZES);
    c.screen("points below", &at(C, "2/below<Enter>"), &SIZES);
    c.screen("drill", &at(C, "2<Down><Down><Down><Enter>"), &[SIZES[0], SIZES[1], GRID]);
    // Every full-screen layer a key opens, with help on top, and moved in.
    for k in ["P", "R", "S", "K", "H", "V", "o"] {
        c.with_help(&format!("layer {k}"), C, k, &SIZES);
        c.screen(&format!("layer {k} moved"), &at(C, &format!("{k}<Down><Down>[")), &SIZES);
    }
    c.screen("plan what-if", &at(C, "Pll"), &SIZES);
    c.screen("plan accept", &at(C, "P<Enter>"), &SIZES);
    // Every form of the console, with a candidate list showing.
    let console_forms = [("d", "P0"), ("r", "P0"), ("c", "D"), ("s", "P0"), ("p", "P0"), ("h", "王")];
    forms(&mut c, "console", C, "", &console_forms);
    forms(&mut c, "alerts", C, "4", &[("d", "P0")]);
    forms(&mut c, "requests", Start::Pending(None), "", &[("v", "1"), ("x", "1")]);
    // The screens' own forms.
    forms(&mut c, "hotline", C, "K", &[("n", "王"), ("a", "王"), ("r", "已"), ("<Enter>", "r")]);
    forms(&mut c, "households", C, "H", &[("<Enter>", "r")]);
    forms(&mut c, "vehicles", C, "V", &[("r", "2026")]);
    // A key with no binding, the quit question, drafts, a bad value, a saved form.
    c.screen("unbound key", &at(C, "z"), &SIZES);
    c.with_help("quit question", C, "h李<Esc>q", &SIZES);
    c.screen("draft restored", &at(C, "h李<Esc>h"), &SIZES);
    c.screen("draft kept", &at(C, "h李<Esc>2<Down>h"), &SIZES);
    c.screen("bad value", &at(C, "r<BS>XX9<Tab>"), &SIZES);
    let mut saved = at(C, "r^");
    let effects = keys(&mut saved, "P01<Tab>rice<Tab>100<Enter>");
    if let [Effect::Submit(req)] = effects.as_slice() {
        c.screen("waiting for the reply", &saved, &SIZES);
        let outcome = baogong::api::Outcome {
            seq: 10301,
            cmd_id: req.cmd_id.clone(),
            raised: vec!["A77".into()],
            ..baogong::api::Outcome::default()
        };
        update(&mut saved, Msg::Reply { cmd_id: req.cmd_id.clone(), reply: Ok(outcome) });
        c.screen("toast", &saved, &SIZES);
    } else {
        c.failures.push(format!("the restock form sent {effects:?}"));
    }
    let mut gone = zh();
    update(&mut gone, Msg::Conn(baogong::tui::model::Conn::Disconnected { since: now() }));
    c.screen("disconnected", &gone, &[SIZES[0], GRID]);
    c.finish(300);
}

#[test]
fn the_point_face_reads_in_chinese() {
    let mut c = Check::new();
    for point in ["P09", "P03"] {
        let p = Start::Point(point);
        c.with_help(&format!("point {point}"), p, "", &[SIZES[0], SIZES[1], GRID]);
        c.with_help(&format!("point {point} Tab"), p, "<Tab>", &SIZES);
        c.screen(&format!("point {point} Enter"), &at(p, "<Down><Enter>"), &SIZES);
        c.screen(&format!("point {point} filtered"), &at(p, "/r<Enter>"), &SIZES);
        for k in ["S", "V"] {
            c.with_help(&format!("point {point} {k}"), p, k, &SIZES);
        }
        let point_forms =
            [("t", "V"), ("g", "D"), ("d", "V"), ("r", "r"), ("c", "D"), ("s", "r"), ("p", "P"), ("$", "r")];
        forms(&mut c, &format!("point {point}"), p, "", &point_forms);
        forms(&mut c, &format!("point {point} requests"), Start::Pending(Some(point)), "", &[("v", "1"), ("x", "1")]);
    }
    c.finish(200);
}

#[test]
fn the_wall_reads_in_chinese() {
    let mut c = Check::new();
    let mut m = zh();
    m.face = FaceKind::Wall;
    m.rotate = 10;
    for zone in 0..4 {
        c.screen(&format!("wall rotation {zone}"), &m, &[SIZES[0], SIZES[1], GRID]);
        let later = m.now + chrono::Duration::seconds(10);
        m.set_now(later);
    }
    c.finish(12);
}

#[test]
fn the_county_faces_read_in_chinese() {
    let mut c = Check::new();
    // The towns' codes.
    c.codes.extend(["WGZ", "DXZ", "QZJ", "XCK"].map(String::from));
    for (name, text) in crate::county::every_screen(Lang::Zh, &SIZES) {
        c.text(&name, &text);
    }
    c.finish(20);
}

#[test]
fn the_screen_checker_catches_an_english_word() {
    let mut c = Check::new();
    c.text("made up", "│P01 王官庄惠民超市 rice 12 box  断档 Tab 下一项 12m ago│");
    assert_eq!(c.failures.len(), 1);
    assert!(c.failures[0].starts_with("made up: {\"12m\", \"ago\", \"box\"}"), "{}", c.failures[0]);
    // And on a real screen: the English console fails.
    let mut c = Check::new();
    c.screen("english grid", &demo_model(Lang::En), &[(80, 24)]);
    assert!(c.failures.len() == 1 && c.failures[0].starts_with("english grid 80x24: {"), "{:?}", c.failures);
    // Codes, numbers, times, allowed units and key names pass.
    let mut c = Check::new();
    c.text("fine", "P01 V02 rice 12.5 kg 3 L 10:30 11-29 D12 Q13790 Tab Esc Enter PgUp Ctrl-U q ?");
    assert!(c.failures.is_empty(), "{:?}", c.failures);
}
