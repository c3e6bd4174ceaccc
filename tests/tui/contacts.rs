//! Issue 16 on the console: the contacts on duty (`o`) listing the duty officer and the leader
//! on call with their phones, the next shift, every zone's lead and the selected point's
//! manager; a phone not on file said, never blank; Esc and `o` close; snapshots at 80x24 and
//! 120x40 in English and Chinese; the roster panel's "On duty" and "Next" lines with both phones.

use crate::support::tui::{assert_toggles, demo_state, key, keys, model_with, screen_text, snap};
use baogong::domain::Lang;
use baogong::tui::keymap::{self, Layer};
use baogong::tui::model::{contact_rows, phone_of, ContactKind};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

#[test]
fn o_opens_the_contacts_and_esc_or_o_closes_them() {
    assert_eq!(keymap::duplicates(keymap::CONSOLE), Vec::<String>::new());
    assert_eq!(keymap::duplicates(keymap::CONTACTS), Vec::<String>::new());
    assert_toggles("o", Layer::Contacts, "contacts on duty");
}

#[test]
fn the_contacts_name_the_duty_officer_a_zone_lead_and_the_selected_points_manager_with_phones() {
    let mut m = model_with(demo_state(), Lang::En);
    // The points panel, its second point selected.
    keys(&mut m, "2<Down>");
    key(&mut m, "o");
    let rows = contact_rows(&m);
    let officer = m.state.officer_on_duty(m.now).expect("someone on duty");
    let duty = rows.iter().find(|c| c.kind == ContactKind::DutyOfficer).expect("duty officer listed");
    assert_eq!(duty.name, officer);
    let phone = phone_of(&m.state, &officer).expect("the demo officer has a phone");
    assert_eq!(duty.phone.as_deref(), Some(phone.as_str()));
    let zone = m.state.zones.values().next().expect("a zone");
    let lead = rows.iter().find(|c| c.kind == ContactKind::ZoneLead).expect("zone lead listed");
    assert_eq!(lead.name, zone.lead);
    let point = baogong::tui::model::point_rows(&m)[1].point.clone();
    let mgr = rows.iter().find(|c| c.kind == ContactKind::PointManager).expect("manager listed");
    assert_eq!(mgr.name, point.manager);
    assert!(mgr.at.contains(&point.code), "{:?}", mgr.at);
    let text = screen_text(&m, (120, 40));
    for s in [officer.as_str(), phone.as_str(), zone.lead.as_str(), point.manager.as_str()] {
        assert!(text.contains(s), "{s} shown:\n{text}");
    }
    assert!(mgr.phone.as_deref().is_some_and(|p| text.contains(p)), "manager's phone shown");
}

#[test]
fn a_phone_not_on_file_is_said_never_blank() {
    let mut state = demo_state();
    let zone = state.zones.values().next().expect("a zone").lead.clone();
    if let Some(p) = state.people.get_mut(&zone) {
        p.phone.clear();
    }
    for (lang, said) in [(Lang::En, "no phone on file"), (Lang::Zh, "无电话记录")] {
        let mut m = model_with(state.clone(), lang);
        key(&mut m, "o");
        let c = contact_rows(&m).into_iter().find(|c| c.name == zone).expect("the lead is listed");
        assert_eq!(c.phone, None);
        let text = screen_text(&m, (120, 40));
        let line = text.lines().find(|l| l.contains(&zone)).expect("the lead's line");
        assert!(line.contains(said), "{line}");
    }
}

#[test]
fn the_roster_on_duty_line_shows_both_phones() {
    let mut m = model_with(demo_state(), Lang::En);
    key(&mut m, "1");
    let shift = m.state.shift_at(m.now).expect("a shift now");
    let officer = m.state.officer_on_duty(m.now).expect("an officer");
    let text = screen_text(&m, (80, 24));
    let line = text.lines().find(|l| l.contains("On duty:")).expect("the on-duty line");
    for name in [officer.as_str(), shift.leader_on_call.as_str()] {
        let phone = phone_of(&m.state, name).expect("a phone on file");
        assert!(line.contains(&format!("{name} {phone}")), "{name} {phone} in {line}");
    }
}

#[test]
fn the_roster_next_line_shows_both_phones() {
    let mut m = model_with(demo_state(), Lang::En);
    key(&mut m, "1");
    let next = m.state.next_shift(m.now).expect("a next shift");
    let text = screen_text(&m, (200, 50));
    let line = text.lines().find(|l| l.contains("Next:")).expect("the next-shift line");
    for name in [next.duty_officer.as_str(), next.leader_on_call.as_str()] {
        let phone = phone_of(&m.state, name).expect("a phone on file");
        assert!(line.contains(&format!("{name} {phone}")), "{name} {phone} in {line}");
    }
}

#[test]
fn the_roster_shift_lines_are_never_cut_they_drop_the_time_first() {
    for size in [(80, 24), (120, 40), (200, 50)] {
        let mut m = model_with(demo_state(), Lang::En);
        key(&mut m, "1");
        let text = screen_text(&m, size);
        for label in ["On duty:", "Next:"] {
            let line = text.lines().find(|l| l.contains(label)).expect("the shift line");
            let shown = line.split(label).nth(1).and_then(|r| r.split('│').next()).unwrap_or_default().trim_end();
            // Whole with its time in brackets, or without the time, ending on the leader's phone.
            let with_time = shown.ends_with(')');
            let without = !shown.contains(" (") && shown.chars().last().is_some_and(|c| c.is_ascii_digit());
            assert!(with_time || without, "{size:?} {label}{shown}");
        }
    }
}

#[test]
fn snapshots() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            let mut m = model_with(demo_state(), lang);
            key(&mut m, "o");
            snap("contacts", &m, "contacts", size, tag);
        }
    }
}
