//! The county face's loop (`baogong county`, `baogong county wall`): re-reads the view
//! `county serve` writes (`DIR/county.json`) once a second, plans the county over it when it
//! changed (`county::plan`, with `[plan]` and `[county] reserve` of the directory's
//! `baogong.toml`: O(towns × items)), draws both with `faces::county`, and takes the keys of
//! the screen's keymap (`faces::county::keys`). The county face holds no store and sends
//! nothing: the towns' figures reach it only through the view file. Must not import `cli`.

use crate::config::Config;
use crate::county::plan::{self as county_plan, CountyPlan};
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
pub fn run(dir: &Path, config: &Config, lang: Lang, wall: bool) -> Result<()> {
    let theme = Theme::from_env(std::env::var("NO_COLOR").ok().as_deref());
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, dir, config, lang, theme, wall);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    dir: &Path,
    config: &Config,
    lang: Lang,
    theme: Theme,
    wall: bool,
) -> Result<()> {
    let mut screen = CountyScreen { wall, ..CountyScreen::default() };
    let mut planned: Option<(CountyView, CountyPlan)> = None;
    loop {
        let view = CountyView::load(dir);
        let now = chrono::Local::now().fixed_offset();
        let stale = |(v, p): &(CountyView, CountyPlan)| p.plan.date != now.date_naive() || view.as_ref() != Some(v);
        if planned.as_ref().is_none_or(stale) {
            planned = view.map(|v| {
                let p = county_plan::plan(&v, config.county.reserve.as_deref(), &config.plan, now.date_naive());
                (v, p)
            });
        }
        let (view, plan) = (planned.as_ref().map(|(v, _)| v), planned.as_ref().map(|(_, p)| p));
        terminal.draw(|f| county::render(view, plan, now, lang, theme, screen, f)).wrap_err("drawing")?;
        if !event::poll(REFRESH).wrap_err("reading the terminal")? {
            continue;
        }
        let Event::Key(key) = event::read().wrap_err("reading the terminal")? else { continue };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        let towns = view.map_or(0, |v| v.towns.len());
        let transfers = plan.map_or(0, |p| p.plan.transfers.len());
        match keymap::lookup(county::keys(screen), &key) {
            Some(Action::Quit) => return Ok(()),
            Some(Action::Up) if screen.plan => screen.scroll = screen.scroll.saturating_sub(1),
            Some(Action::Down) if screen.plan => screen.scroll = (screen.scroll + 1).min(transfers.saturating_sub(1)),
            Some(Action::Up) => screen.selected = screen.selected.saturating_sub(1),
            Some(Action::Down) => screen.selected = (screen.selected + 1).min(towns.saturating_sub(1)),
            Some(Action::NextPanel) => screen.panel = screen.panel.next(),
            Some(Action::Plan) => screen = CountyScreen { plan: true, scroll: 0, ..screen },
            Some(Action::Close) => screen.plan = false,
            _ => {}
        }
    }
}
