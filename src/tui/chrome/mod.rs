//! The frame around the panels: status bar, tab bar, footer. Pure drawing from the model; must
//! not import the loop (`tui::mod`) or anything that does I/O.

pub mod footer;
pub mod status_bar;
pub mod tab_bar;
