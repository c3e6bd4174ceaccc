//! The county face's loop (`baogong county`, `baogong county wall`): re-reads the view
//! `county serve` writes (`DIR/county.json`) once a second, draws it with `faces::county`, and
//! takes the keys of `keymap::COUNTY` (or `WALL`). The county face holds no store and sends
//! nothing: the towns' figures reach it only through the view file. Must not import `cli`.

use crate::county::CountyView;
use crate::domain::Lang;
use crate::tui::faces::county::{self, CountyScreen};
use crate::tui::keymap::{self, Action};
use crate::tui::theme::Theme;
use color_eyre::eyre::{Result, WrapErr};
use crossterm::event::{self, Event, KeyEventKind};
use std::path::Path;
use std::time::Duration;

/// How often the view file is read again.
const REFRESH: Duration = Duration::from_secs(1);

/// Runs the county console (or wall) until the user quits.
pub fn run(dir: &Path, lang: Lang, wall: bool) -> Result<()> {
    let theme = Theme::from_env(std::env::var("NO_COLOR").ok().as_deref());
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, dir, lang, theme, wall);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, dir: &Path, lang: Lang, theme: Theme, wall: bool) -> Result<()> {
    let map = if wall { keymap::WALL } else { keymap::COUNTY };
    let mut screen = CountyScreen { selected: 0, wall };
    loop {
        let view = CountyView::load(dir);
        let now = chrono::Local::now().fixed_offset();
        terminal.draw(|f| county::render(view.as_ref(), now, lang, theme, screen, f)).wrap_err("drawing")?;
        if !event::poll(REFRESH).wrap_err("reading the terminal")? {
            continue;
        }
        let Event::Key(key) = event::read().wrap_err("reading the terminal")? else { continue };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        let towns = view.as_ref().map_or(0, |v| v.towns.len());
        match keymap::lookup(map, &key).or_else(|| keymap::lookup(keymap::GLOBAL, &key)) {
            Some(Action::Quit) => return Ok(()),
            Some(Action::Up) => screen.selected = screen.selected.saturating_sub(1),
            Some(Action::Down) => screen.selected = (screen.selected + 1).min(towns.saturating_sub(1)),
            _ => {}
        }
    }
}
