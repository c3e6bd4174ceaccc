//! Issue 16 on the console: the vehicles screen (`V`) over the demo town's vehicles, ended
//! passes first (冀EF7580 ended yesterday), then by the pass's last day; a pass ending before
//! the vehicle's next booked slot warned; the renew-pass form (`r` / Enter) sending the very
//! command `log pass` sends, through a real engine, the screen then showing the new last day;
//! a bad or past date refused on its field with the form kept (en and zh); the point face
//! listing only its own vehicles and offering no renewal; snapshots at 80x24 and 200x50 in
//! English and Chinese.

use crate::support::tui::{
    assert_toggles, ctrl, demo_engine, demo_state, key, keys, model_with, now, screen_text, snap, submitted,
};
use baogong::api::{Caller, Request as ApiRequest};
use baogong::domain::command::{Command, Face};
use baogong::domain::Lang;
use baogong::proto::FaceKind;
use baogong::tui::form::{error_text, FormKind};
use baogong::tui::keymap::{self, Layer};
use baogong::tui::model::{vehicle_rows, Model, Overlay, PassStatus};
use baogong::tui::update::{update, Msg};
use chrono::{Duration, NaiveDate};

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

/// Puts the vehicles screen's selection on `plate`.
fn select(m: &mut Model, plate: &str) {
    let i = vehicle_rows(m).iter().position(|r| r.vehicle.plate == plate).expect("the vehicle is listed");
    match m.overlays.last_mut() {
        Some(Overlay::Vehicles(s)) => s.sel = i,
        _ => panic!("the vehicles screen is on top"),
    }
}

fn today() -> NaiveDate {
    now().date_naive()
}

#[test]
fn v_is_free_in_every_keymap_it_joins_and_opens_the_screen() {
    for map in [keymap::CONSOLE, keymap::POINT, keymap::VEHICLES, keymap::VEHICLES_POINT] {
        assert_eq!(keymap::duplicates(map), Vec::<String>::new());
    }
    assert_toggles("V", Layer::Vehicles, "vehicles and passes");
}

/// Ended passes first, then by last day; the expired one in the demo is 冀EF7580 (P05).
#[test]
fn expired_passes_come_first_then_the_soonest_to_end() {
    let mut m = model_with(demo_state(), Lang::En);
    key(&mut m, "V");
    let rows = vehicle_rows(&m);
    assert_eq!(rows.len(), m.state.vehicles.len(), "every vehicle is listed");
    assert_eq!(rows[0].vehicle.plate, "冀EF7580");
    assert_eq!(rows[0].status, PassStatus::Expired);
    let days: Vec<NaiveDate> = rows.iter().map(|r| r.vehicle.pass_valid_until).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "by last day: {days:?}");
    let expired = rows.iter().filter(|r| r.status == PassStatus::Expired).count();
    assert!(rows[..expired].iter().all(|r| r.vehicle.pass_valid_until < today()));
    let text = screen_text(&m, (120, 40));
    let first = text.lines().find(|l| l.contains("冀EF7580")).expect("the expired vehicle is shown");
    assert!(first.contains("EXPIRED 1d ago"), "{first}");
    // The filter keeps the matching vehicles.
    keys(&mut m, "/P05<Enter>");
    let rows = vehicle_rows(&m);
    assert!(!rows.is_empty() && rows.iter().all(|r| r.vehicle.point == "P05"));
}

/// A pass still valid beyond `pass_days` but ending before the day its vehicle is booked for
/// is a warning, not "valid".
#[test]
fn a_pass_ending_before_its_next_booked_slot_is_warned() {
    let mut state = demo_state();
    let (id, plate) = (state.requests.values())
        .filter(|r| r.status().is_open())
        .find_map(|r| Some((r.id, r.booking.as_ref()?.vehicle.clone()?)))
        .expect("the demo books requests on vehicles");
    let r = state.requests.get_mut(&id).expect("the request");
    if let Some(b) = r.booking.as_mut() {
        b.date = today() + Duration::days(12);
    }
    state.vehicles.get_mut(&plate).expect("the vehicle").pass_valid_until = today() + Duration::days(10);
    let mut m = model_with(state, Lang::En);
    key(&mut m, "V");
    let rows = vehicle_rows(&m);
    let row = rows.iter().find(|r| r.vehicle.plate == plate).expect("listed");
    assert_eq!(row.status, PassStatus::BeforeSlot, "{plate}");
    let text = screen_text(&m, (200, 50));
    let line = text.lines().find(|l| l.contains(&plate)).expect("shown");
    let slot = (today() + Duration::days(12)).format("%m-%d").to_string();
    assert!(line.contains(&format!("ends before its slot {slot}")), "{line}");
}

/// `r` on the expired vehicle: the form filled in with its plate and pass number, a new last
/// day typed, Enter sends `Pass` as `log pass` does; the engine records it and the screen shows
/// the new day, the vehicle no longer first. A past day is refused by the engine on its field,
/// the form kept as typed.
#[test]
fn renewing_a_pass_sends_log_pass_and_the_screen_shows_the_new_day() {
    let (_dir, mut engine) = demo_engine();
    let mut m = model_with(engine.state().clone(), Lang::En);
    let caller = Caller::officer("tester", Face::Console);
    key(&mut m, "V");
    select(&mut m, "冀EF7580");
    // A day already past: the engine refuses it on valid_until, and the form stays.
    key(&mut m, "r");
    assert_eq!(m.form().map(|f| f.kind), Some(FormKind::Pass));
    let past = (today() - Duration::days(3)).to_string();
    let (cmd_id, cmd) = submitted(keys(&mut m, &format!("{past}<Enter>")));
    let reply = engine.submit(&caller, ApiRequest { cmd_id: cmd_id.clone(), cmd });
    assert!(reply.is_err(), "a past day is refused: {reply:?}");
    update(&mut m, Msg::Reply { cmd_id, reply });
    let form = m.form().expect("the form is kept");
    let field = form.fields.iter().find(|f| f.name == "valid_until").expect("valid_until");
    assert_eq!(field.input.value(), past, "what was typed stays");
    assert!(field.error.is_some(), "the field at fault is marked");
    key(&mut m, "<Esc>");
    // Again with a good day: exactly what `log pass --vehicle 冀EF7580 --number BG-TX-012
    // --valid-until D` sends.
    key(&mut m, "<Enter>");
    let until = today() + Duration::days(30);
    let values: Vec<(&str, String)> =
        m.form().expect("form").fields.iter().map(|f| (f.name, f.input.value().to_string())).collect();
    assert!(values.contains(&("vehicle", "冀EF7580".into())) && values.contains(&("number", "BG-TX-012".into())));
    // The draft of the refused day comes back: emptied with Ctrl-U, the new day typed.
    update(&mut m, ctrl('u'));
    let (cmd_id, cmd) = submitted(keys(&mut m, &format!("{until}<Enter>")));
    let want = Command::Pass { vehicle: "冀EF7580".into(), number: "BG-TX-012".into(), valid_until: until };
    assert_eq!(cmd, want);
    let reply = engine.submit(&caller, ApiRequest { cmd_id: cmd_id.clone(), cmd });
    assert!(reply.is_ok(), "{reply:?}");
    update(&mut m, Msg::Reply { cmd_id, reply });
    update(&mut m, Msg::Attached { state: Box::new(engine.state().clone()), now: now() });
    assert!(m.form().is_none(), "saved: the form is gone");
    assert_eq!(m.layer(), Layer::Vehicles, "back on the vehicles screen");
    let rows = vehicle_rows(&m);
    let row = rows.iter().find(|r| r.vehicle.plate == "冀EF7580").expect("listed");
    assert_eq!((row.vehicle.pass_valid_until, row.status), (until, PassStatus::Valid));
    assert_ne!(rows[0].vehicle.plate, "冀EF7580", "no longer first");
    let text = screen_text(&m, (120, 40));
    let line = text.lines().find(|l| l.contains("冀EF7580")).expect("shown");
    assert!(line.contains(&until.to_string()), "{line}");
}

/// A date that is not one is marked on Enter before anything is sent, in the user's language,
/// and the form keeps it.
#[test]
fn a_bad_date_is_refused_on_its_field_and_the_form_kept() {
    for lang in [Lang::En, Lang::Zh] {
        let mut m = model_with(demo_state(), lang);
        key(&mut m, "V");
        key(&mut m, "r");
        let effects = keys(&mut m, "2026-13-45<Enter>");
        assert!(effects.is_empty(), "nothing sent: {effects:?}");
        let form = m.form().expect("the form is kept");
        assert_eq!(form.fields[form.focus].name, "valid_until", "focus on the field at fault");
        let field = &form.fields[form.focus];
        assert_eq!(field.input.value(), "2026-13-45");
        let text = error_text(field.error.as_deref().expect("marked"), lang);
        let want = if lang == Lang::En { "date" } else { "日期" };
        assert!(text.contains(want), "{text}");
        let shown = screen_text(&m, (80, 24));
        let label = if lang == Lang::En { "valid until" } else { "有效期至" };
        assert!(shown.contains(label) && shown.contains(&text), "{shown}");
    }
}

/// The point face lists only the point's own vehicles, and renewing is not offered there.
#[test]
fn the_point_face_sees_only_its_own_vehicles() {
    let mut m = model_with(demo_state(), Lang::En);
    m.face = FaceKind::Point { point: "P05".into() };
    key(&mut m, "V");
    assert_eq!(m.layer(), Layer::Vehicles);
    let rows = vehicle_rows(&m);
    let own = m.state.vehicles.values().filter(|v| v.point == "P05").count();
    assert_eq!(rows.len(), own);
    assert!(own > 0 && rows.iter().all(|r| r.vehicle.point == "P05"));
    assert!(key(&mut m, "r").is_empty() && m.form().is_none(), "no renewal from a point");
    let text = screen_text(&m, (120, 40));
    let other = m.state.vehicles.values().find(|v| v.point != "P05").expect("another point's vehicle");
    assert!(!text.contains(&other.plate), "{text}");
}

#[test]
fn vehicles_snapshots() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            let mut m = model_with(demo_state(), lang);
            key(&mut m, "V");
            snap("vehicles", &m, "console", size, tag);
        }
        let mut m = model_with(demo_state(), lang);
        m.face = FaceKind::Point { point: "P05".into() };
        key(&mut m, "V");
        snap("vehicles", &m, "point", (80, 24), tag);
        let mut m = model_with(demo_state(), lang);
        key(&mut m, "V");
        key(&mut m, "r");
        snap("vehicles", &m, "renew_form", (80, 24), tag);
    }
}
