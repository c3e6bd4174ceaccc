//! `town --name N --code C`: names the town and gives it its code, one event. What is not
//! given keeps its value, so either can be changed alone. Reaches the engine through `Link`.

use super::Exit;
use crate::api::Request;
use crate::domain::{Command, Lang};
use crate::link::Link;
use color_eyre::eyre::Result;
use std::io::Write;

pub fn town(
    link: &mut Link,
    name: Option<String>,
    code: Option<String>,
    id: Option<String>,
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<Exit> {
    let (state, _) = link.snapshot()?;
    let name = name.unwrap_or(state.settings.town);
    let code = code.unwrap_or(state.settings.code);
    let req = Request { cmd_id: id.unwrap_or_default(), cmd: Command::Town { name, code } };
    super::log::submit(link, req, json, lang, out)
}
