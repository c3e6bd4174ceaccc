//! Styles: the 16 named ANSI colours plus bold and reverse, so screens read the same over any
//! SSH client and on black or white backgrounds; with `NO_COLOR` only bold/reverse remain.
//! Imports only domain types (severity, stock status); nothing that draws or does I/O.

use crate::domain::alerts::Severity;
use crate::domain::rules::cover::StockStatus;
use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env(no_color: Option<&str>) -> Theme {
        Theme { color: no_color.is_none_or(|v| v.is_empty()) }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn base(self) -> Style {
        Style::new()
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn focused_border(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn border(self) -> Style {
        self.dim()
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn bar(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn severity(self, s: Severity) -> Style {
        match s {
            Severity::Critical => {
                if self.color {
                    Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)
                } else {
                    Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
                }
            }
            Severity::Warning => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Severity::Info => self.fg(Color::Cyan),
        }
    }

    pub fn status(self, s: StockStatus) -> Style {
        match s {
            StockStatus::StockedOut => self.severity(Severity::Critical),
            StockStatus::BelowNorm => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            StockStatus::Ok => self.fg(Color::Green),
            StockStatus::Over => self.fg(Color::Magenta),
        }
    }
}
