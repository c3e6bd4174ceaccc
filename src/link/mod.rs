//! How faces reach the engine when a daemon owns the store: the Unix-socket server the daemon
//! runs (`server`) and the client side faces and subcommands use (`client`). Both speak
//! `proto`. In-process (embedded) faces talk to an `EngineHandle` directly.

pub mod client;
pub mod server;

use crate::config::Config;
use crate::domain::Access;
use crate::proto::FaceKind;

/// The access a connection gets: the role configured for its OS user (the daemon's own user is
/// an officer), narrowed by the face it opens (a wall is a viewer; a point face is scoped to its
/// point). An error names the user and what to do.
pub fn resolve_access(user: &str, is_daemon_user: bool, config: &Config, face: &FaceKind) -> Result<Access, String> {
    let role = if is_daemon_user {
        Access::Officer
    } else {
        config.role_of(user).ok_or_else(|| {
            format!("user {user} is not listed in [access] of baogong.toml; ask the duty officer to add it (officer, viewer or point:<CODE>)")
        })?
    };
    match (face, role) {
        (FaceKind::Wall, _) => Ok(Access::Viewer),
        (FaceKind::Point { point }, Access::Officer) => Ok(Access::Point(point.clone())),
        (FaceKind::Point { point }, Access::Point(own)) if *point == own => Ok(Access::Point(own)),
        (FaceKind::Point { point }, Access::Point(own)) => {
            Err(format!("user {user} is the clerk of point {own}, not of {point}"))
        }
        (FaceKind::Point { .. }, Access::Viewer) => Ok(Access::Viewer),
        (_, role) => Ok(role),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let mut c = Config::default();
        for (u, r) in pairs {
            c.access.insert(u.to_string(), r.to_string());
        }
        c
    }

    #[test]
    fn roles_are_narrowed_by_face() {
        let c = config(&[("clerk3", "point:P03"), ("screen", "viewer"), ("boss", "officer")]);
        assert_eq!(resolve_access("root", true, &c, &FaceKind::Console), Ok(Access::Officer));
        assert_eq!(resolve_access("boss", false, &c, &FaceKind::Wall), Ok(Access::Viewer));
        assert_eq!(resolve_access("screen", false, &c, &FaceKind::Console), Ok(Access::Viewer));
        assert_eq!(
            resolve_access("clerk3", false, &c, &FaceKind::Point { point: "P03".into() }),
            Ok(Access::Point("P03".into()))
        );
        assert_eq!(
            resolve_access("boss", false, &c, &FaceKind::Point { point: "P05".into() }),
            Ok(Access::Point("P05".into()))
        );
        let err = resolve_access("clerk3", false, &c, &FaceKind::Point { point: "P05".into() }).unwrap_err();
        assert!(err.contains("clerk of point P03"), "{err}");
        let err = resolve_access("mallory", false, &c, &FaceKind::Cli).unwrap_err();
        assert!(err.contains("user mallory is not listed"), "{err}");
    }
}
