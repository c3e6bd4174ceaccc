//! Who may do what. A leaf: imports nothing of the crate.

use serde::{Deserialize, Serialize};

/// Who may do what: the engine checks every command against the caller's access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Officer,
    Point(String),
    Viewer,
}

impl Access {
    /// Parses `officer`, `viewer`, `point:P01`.
    pub fn parse(text: &str) -> Option<Access> {
        match text.trim() {
            "officer" => Some(Access::Officer),
            "viewer" => Some(Access::Viewer),
            t => t.strip_prefix("point:").filter(|p| !p.is_empty()).map(|p| Access::Point(p.to_string())),
        }
    }
}
