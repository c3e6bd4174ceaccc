//! Issue 16 on the console: `L` opens the response levels, all five with their number, name and
//! meaning, the one in force marked (English and Chinese); Up/Down, `j`/`k` and the digits 0-4
//! choose; Enter asks "Set the response level to ...?", `y` sends `Level` for the chosen one,
//! `n` or Esc goes back with nothing sent, Esc on the list sends nothing; Enter on the level in
//! force sends nothing and says so; the engine's answer is a toast; snapshots at 80x24 and
//! 120x40 in both languages; a long meaning wraps under its level, and a short screen scrolls
//! to keep the chosen level in view. A scenario's `[[levels]]` names reach the levels screen,
//! the status bar and the wall, and a bad entry (level 7, an empty name) is refused naming its
//! field.

use crate::support::bin::TOWN;
use crate::support::tui::{assert_toggles, demo_state, key, keys, model_with, now, screen_text, snap, submitted};
use baogong::api::{Outcome, Refusal};
use baogong::domain::alerts::Thresholds;
use baogong::domain::command::Command;
use baogong::domain::{Lang, ResponseLevel, State};
use baogong::domain::{Reason, Rejection};
use baogong::engine::{Engine, ManualClock};
use baogong::scenario::{self, Scenario};
use baogong::tui::keymap::{self, Layer};
use baogong::tui::model::{Overlay, Question};
use baogong::tui::update::{update, Effect, Msg};
use std::sync::Arc;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Zh, "zh")];

fn sel(m: &baogong::tui::model::Model) -> usize {
    match m.overlays.last() {
        Some(Overlay::Level { sel }) => *sel,
        _ => panic!("the levels screen is on top"),
    }
}

#[test]
fn l_opens_the_levels_and_esc_or_l_closes_them_sending_nothing() {
    assert_eq!(keymap::duplicates(keymap::LEVEL), Vec::<String>::new());
    assert_toggles("L", Layer::Level, "response level");
    let mut m = model_with(demo_state(), Lang::En);
    assert!(key(&mut m, "L").is_empty());
    assert_eq!(sel(&m), 0, "opens on the level in force");
    assert!(keys(&mut m, "3<Esc>").is_empty(), "Esc on the list sends nothing");
    assert_eq!(m.layer(), Layer::Main);
    let mut s = demo_state();
    s.settings.level = ResponseLevel::Level2;
    let mut m = model_with(s, Lang::En);
    key(&mut m, "L");
    assert_eq!(sel(&m), 2, "opens on the level in force");
}

#[test]
fn all_five_levels_show_with_their_meanings_and_the_one_in_force_is_marked() {
    for (lang, in_force) in [(Lang::En, "(in force)"), (Lang::Zh, "(现行)")] {
        let mut s = demo_state();
        s.settings.level = ResponseLevel::Level1;
        let mut m = model_with(s, lang);
        key(&mut m, "L");
        for size in SIZES {
            let text = screen_text(&m, size);
            for level in ResponseLevel::ALL {
                let name = level.label(lang);
                let head = format!("[{}] {name}", level.number());
                let line = text.lines().find(|l| l.contains(&head)).unwrap_or_else(|| panic!("{head} at {size:?}"));
                assert_eq!(line.contains(in_force), level == ResponseLevel::Level1, "{line}");
                assert!(text.contains(level.meaning(lang)), "the meaning of {name} at {size:?}:\n{text}");
            }
        }
    }
    // The plans' names, not a bare number.
    let mut m = model_with(demo_state(), Lang::Zh);
    key(&mut m, "L");
    assert!(screen_text(&m, (80, 24)).contains("[3] 情景三 本地暴发"));
}

#[test]
fn arrows_jk_and_digits_choose() {
    let mut m = model_with(demo_state(), Lang::En);
    key(&mut m, "L");
    key(&mut m, "<Down>");
    assert_eq!(sel(&m), 1);
    keys(&mut m, "jj");
    assert_eq!(sel(&m), 3);
    keys(&mut m, "<Down><Down><Down>");
    assert_eq!(sel(&m), 4, "stops at the last");
    key(&mut m, "k");
    assert_eq!(sel(&m), 3);
    key(&mut m, "<Up>");
    assert_eq!(sel(&m), 2);
    for (d, n) in [("4", 4), ("0", 0), ("3", 3), ("1", 1)] {
        assert!(key(&mut m, d).is_empty(), "a digit only chooses");
        assert_eq!(sel(&m), n);
    }
    key(&mut m, "<End>");
    assert_eq!(sel(&m), 4);
    key(&mut m, "<Home>");
    assert_eq!(sel(&m), 0);
}

#[test]
fn enter_asks_and_n_or_esc_go_back_with_nothing_sent() {
    for back in ["n", "<Esc>"] {
        let mut m = model_with(demo_state(), Lang::En);
        assert!(keys(&mut m, "L<Down><Enter>").is_empty(), "Enter only asks");
        assert_eq!(m.layer(), Layer::Confirm);
        assert!(matches!(m.overlays.last(), Some(Overlay::Confirm(Question::Level(ResponseLevel::Level1)))));
        let text = screen_text(&m, (80, 24));
        assert!(text.contains("Set the response level to 1 sporadic imported cases?"), "{text}");
        assert!(key(&mut m, back).is_empty(), "{back} sends nothing");
        assert_eq!(m.layer(), Layer::Level, "{back} goes back to the list");
        assert_eq!(sel(&m), 1);
        assert!(key(&mut m, "<Esc>").is_empty());
        assert_eq!(m.layer(), Layer::Main);
        assert!(!m.quit);
    }
    // In Chinese too.
    let mut m = model_with(demo_state(), Lang::Zh);
    keys(&mut m, "L3<Enter>");
    assert!(screen_text(&m, (80, 24)).contains("将响应等级设为情景三 本地暴发?"));
}

#[test]
fn down_enter_y_sends_the_level_chosen_and_closes() {
    let mut m = model_with(demo_state(), Lang::En);
    keys(&mut m, "L<Down><Down><Enter>");
    let (id, cmd) = submitted(key(&mut m, "y"));
    assert_eq!(cmd, Command::Level { level: ResponseLevel::Level2 });
    assert_eq!(m.layer(), Layer::Main, "the question and the list close");
    // The engine's answer is a toast: recorded, or why not.
    update(
        &mut m,
        Msg::Reply { cmd_id: id.clone(), reply: Ok(Outcome { seq: 901, cmd_id: id, ..Outcome::default() }) },
    );
    assert_eq!(m.toast.as_ref().map(|t| t.text.as_str()), Some("Recorded #901"));
    let (id, _) = submitted(keys(&mut m, "L1<Enter>y"));
    let rej = Rejection::new("access", Reason::ReadOnly);
    update(&mut m, Msg::Reply { cmd_id: id, reply: Err(Refusal::Rejected(rej.clone())) });
    assert_eq!(m.toast.as_ref().map(|t| t.text.clone()), Some(rej.message(Lang::En)));
    // A digit, then Enter and y.
    let mut m = model_with(demo_state(), Lang::Zh);
    let effects = keys(&mut m, "L4<Enter>y");
    assert_eq!(submitted(effects).1, Command::Level { level: ResponseLevel::Level4 });
    // Back to routine from level 3.
    let mut s = demo_state();
    s.settings.level = ResponseLevel::Level3;
    let mut m = model_with(s, Lang::En);
    let effects = keys(&mut m, "L0<Enter>y");
    assert_eq!(submitted(effects).1, Command::Level { level: ResponseLevel::Routine });
}

#[test]
fn enter_on_the_level_in_force_sends_nothing_and_says_so() {
    for (lang, said) in [(Lang::En, "Routine is already in force"), (Lang::Zh, "常态已是现行等级")] {
        let mut m = model_with(demo_state(), lang);
        assert!(keys(&mut m, "L<Enter>").is_empty());
        assert_eq!(m.layer(), Layer::Level, "no question");
        assert!(m.toast.as_ref().is_some_and(|t| t.text.contains(said)), "{:?}", m.toast.as_ref().map(|t| &t.text));
        assert!(keys(&mut m, "y").iter().all(|e| !matches!(e, Effect::Submit(_))));
    }
}

#[test]
fn snapshots() {
    for (lang, tag) in LANGS {
        for size in SIZES {
            let mut s = demo_state();
            s.settings.level = ResponseLevel::Level2;
            let mut m = model_with(s, lang);
            keys(&mut m, "L<Down>");
            snap("level", &m, "levels", size, tag);
            key(&mut m, "<Enter>");
            snap("level", &m, "confirm", size, tag);
        }
    }
}

/// The test town with `levels` appended, seeded at `now()`.
fn seeded(levels: &str) -> color_eyre::Result<State> {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(now()));
    let mut engine = Engine::open(dir.path(), clock, Thresholds::default()).expect("open engine");
    let sc = Scenario::parse(&format!("{TOWN}\n{levels}"), "test town")?;
    scenario::seed(&mut engine, &sc, now())?;
    Ok(engine.state().clone())
}

const LEVELS: &str = r#"
[[levels]]
level = 3
name_en = "3 town sealed"
name_zh = "三级 全镇封控"
meaning_en = "every village sealed, one delivery a day"
meaning_zh = "各村封闭,每日配送一次"

[[levels]]
level = 1
name_en = "1 watch"
name_zh = "一级 监测"
"#;

#[test]
fn a_scenarios_level_names_show_on_the_levels_screen_and_the_status_bar() {
    let mut state = seeded(LEVELS).expect("the scenario seeds");
    let s = &state.settings;
    assert_eq!(s.level_name(ResponseLevel::Level3, Lang::Zh), "三级 全镇封控");
    assert_eq!(s.level_meaning(ResponseLevel::Level3, Lang::En), "every village sealed, one delivery a day");
    assert_eq!(s.level_meaning(ResponseLevel::Level1, Lang::En), ResponseLevel::Level1.meaning(Lang::En));
    assert_eq!(s.level_name(ResponseLevel::Level2, Lang::En), ResponseLevel::Level2.label(Lang::En));
    state.settings.level = ResponseLevel::Level3;
    for (lang, name, meaning) in
        [(Lang::En, "3 town sealed", "one delivery a day"), (Lang::Zh, "三级 全镇封控", "每日配送一次")]
    {
        let mut m = model_with(state.clone(), lang);
        let text = screen_text(&m, (120, 40));
        let bar = text.lines().next().expect("the status bar");
        assert!(bar.contains(name), "{bar}");
        key(&mut m, "L");
        let text = screen_text(&m, (80, 24));
        assert!(text.contains(&format!("[3] {name}")) && text.contains(meaning), "{text}");
        keys(&mut m, "1<Enter>");
        assert!(screen_text(&m, (80, 24)).contains(lang.pick("1 watch", "一级 监测")));
        // The wall names it too.
        let mut wall = model_with(state.clone(), lang);
        wall.face = baogong::proto::FaceKind::Wall;
        let text = screen_text(&wall, (160, 45));
        assert!(text.lines().next().is_some_and(|l| l.contains(name)), "{text}");
    }
}

#[test]
fn a_bad_level_entry_is_refused_naming_its_field() {
    let cases = [
        (LEVELS.replace("level = 3", "level = 7"), "level"),
        (LEVELS.replace("name_en = \"1 watch\"", "name_en = \"\""), "name_en"),
        (LEVELS.replace("name_zh = \"三级 全镇封控\"", "name_zh = \"  \""), "name_zh"),
    ];
    for (levels, field) in cases {
        let err = seeded(&levels).expect_err("refused");
        let said = format!("{err:#}");
        assert!(said.contains(&format!("{field}:")), "{field}: {said}");
    }
}

#[test]
fn a_long_meaning_wraps_under_its_level_at_80_columns_every_word_shown() {
    let long = "every village sealed and guarded day and night, one delivery a day to each gate, \
                medicines brought to the door by the village doctor, the depot open around the clock";
    let long_zh = "各村封闭并昼夜值守,每日向各村口配送一次,药品由村医送到家门口,储备库全天开放,\
                   物资统一调配,重点人群每日随访一次";
    let mut s = demo_state();
    s.settings.levels.push(baogong::domain::level::LevelName {
        level: 4,
        name_en: "4 sealed".into(),
        name_zh: "四级 封闭".into(),
        meaning_en: long.into(),
        meaning_zh: long_zh.into(),
    });
    for (lang, text) in [(Lang::En, long), (Lang::Zh, long_zh)] {
        let mut m = model_with(s.clone(), lang);
        keys(&mut m, "L4");
        let screen = screen_text(&m, (80, 24));
        // The box's lines from the level's head down: the meaning is there in order.
        let shown: String = screen
            .lines()
            .skip_while(|l| !l.contains("[4]"))
            .skip(1)
            .take_while(|l| !l.contains('└'))
            .filter_map(|l| l.split('│').nth(2))
            .collect::<Vec<_>>()
            .join(" ");
        let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert!(squash(&shown).contains(&squash(text)), "{shown}");
        assert!(!shown.contains('~'), "nothing cut: {shown}");
    }
}

#[test]
fn the_levels_fit_small_screens_keeping_the_chosen_level_in_view() {
    for (lang, _) in LANGS {
        let mut m = model_with(demo_state(), lang);
        keys(&mut m, "L4");
        for size in [(60, 15), (64, 18), (100, 15)] {
            let text = screen_text(&m, size);
            assert!(text.contains("> [4]"), "the chosen level shows at {size:?}:\n{text}");
        }
        key(&mut m, "?");
        let help = screen_text(&m, (80, 24));
        assert!(help.contains(lang.pick("level by number", "按编号选等级")), "{help}");
    }
}

#[test]
fn on_a_short_screen_long_meanings_scroll_to_keep_the_chosen_level_in_view() {
    let mut s = demo_state();
    for level in 0..5 {
        s.settings.levels.push(baogong::domain::level::LevelName {
            level,
            name_en: format!("{level} named"),
            name_zh: format!("{level} 级"),
            meaning_en: "a meaning long enough to wrap onto a second and a third line on a screen sixty columns wide"
                .into(),
            meaning_zh: "足够长的含义,在六十列宽的屏幕上要折成两到三行才能显示完整,以便检验滚动".into(),
        });
    }
    for lang in [Lang::En, Lang::Zh] {
        let mut m = model_with(s.clone(), lang);
        key(&mut m, "L");
        let text = screen_text(&m, (60, 15));
        assert!(text.contains("[0]") && !text.contains("[4]"), "{text}");
        key(&mut m, "4");
        let text = screen_text(&m, (60, 15));
        assert!(text.contains("> [4]") && !text.contains("[0]"), "{text}");
        let last = text.lines().position(|l| l.contains('└')).expect("the box's foot");
        let head = text.lines().position(|l| l.contains("> [4]")).expect("the head");
        assert!(head + 2 < last, "the meaning under it shows:\n{text}");
    }
}

#[test]
fn wrap_breaks_between_words_and_chinese_characters_never_before_closing_punctuation() {
    use baogong::text::{width, wrap};
    let zh = "来源不明散发或聚集疫情:村组封控,卡口二十四小时值守";
    // From 10 columns on, wider than any word of these.
    for cols in 10..=60 {
        for text in [zh, "sustained spread: full lockdown, ask the level above for support", "一二三,四五。六"] {
            let lines = wrap(text, cols);
            let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(squash(&lines.concat()), squash(text), "nothing lost at {cols}");
            for l in &lines {
                assert!(width(l) <= cols, "{l:?} fits {cols}");
                assert!(!l.starts_with([',', ':', '。', ' ']), "{l:?} at {cols}");
            }
        }
    }
    assert_eq!(wrap("full lockdown, ask the level", 14), ["full lockdown,", "ask the level"]);
    assert_eq!(wrap(zh, 24), ["来源不明散发或聚集疫情:", "村组封控,卡口二十四小时", "值守"]);
}
