//! The module graph keeps the architecture: this test reads every `crate::` path in `src/` and
//! fails on an edge outside the allowed list, on a sled import outside `src/store`, and on an
//! import circle among the source files. Names re-exported by a `mod.rs` are followed to the
//! file that defines them, so a re-export is not mistaken for a dependency on its parent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules each top-level module may use. Anything not listed is an error.
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("i18n", &["domain"]),
    ("domain", &["text", "i18n"]),
    ("views", &["domain", "text", "i18n"]),
    ("config", &["domain"]),
    ("store", &["domain"]),
    ("api", &["domain"]),
    ("engine", &["api", "domain", "store"]),
    // A snapshot travels as the store's own view rows (`store::rows`, no sled).
    ("proto", &["api", "domain", "store"]),
    ("report", &["domain", "views", "text", "i18n"]),
    ("plan_sheet", &["domain", "views", "text", "i18n"]),
    ("import", &["api", "domain", "text", "i18n"]),
    ("scenario", &["api", "domain", "engine", "config", "text"]),
    ("backup", &["api", "domain", "engine", "store"]),
    ("listing", &["api", "domain", "views", "report", "plan_sheet", "config", "text", "i18n"]),
    ("uplink", &["config", "domain", "engine"]),
    ("county", &["domain", "views", "report", "store", "uplink", "text", "i18n"]),
    (
        "link",
        &[
            "api", "domain", "engine", "store", "proto", "config", "scenario", "backup", "listing", "text", "i18n",
            "uplink",
        ],
    ),
    (
        "tui",
        &[
            "api",
            "domain",
            "views",
            "link",
            "proto",
            "config",
            "report",
            "plan_sheet",
            "text",
            "i18n",
            "engine",
            "county",
        ],
    ),
    (
        "cli",
        &[
            "api",
            "domain",
            "views",
            "link",
            "proto",
            "config",
            "report",
            "plan_sheet",
            "import",
            "scenario",
            "backup",
            "text",
            "i18n",
            "tui",
            "engine",
            "store",
            "county",
            "uplink",
        ],
    ),
];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/domain/state.rs` -> ["domain", "state"]; `mod.rs` is its folder.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_dir()).unwrap_or(file);
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib" || l == "main") {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and string literals (a doc comment may name a path).
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut kept = String::new();
        for c in line.chars() {
            if !in_str && c == '/' && prev == '/' {
                kept.pop();
                break;
            }
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                kept.push(c);
            }
            prev = c;
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Every path a file names from the crate root, expanded from `use` groups, resolved against the
/// file's own module for `super::` and `self::`.
fn paths_in(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let code = code_only(text);
    let mut paths = Vec::new();
    // `use` statements, with their groups expanded.
    for stmt in code.split(';') {
        let Some(at) = stmt.find("use ") else { continue };
        let before = &stmt[..at];
        if !before.trim().is_empty() && !before.trim().ends_with("pub") && !before.trim().ends_with(')') {
            continue;
        }
        let body: String = stmt[at + 4..].chars().filter(|c| !c.is_whitespace()).collect();
        for p in expand(&body) {
            if let Some(abs) = absolute(&p, module) {
                paths.push(abs);
            }
        }
    }
    // Paths written inline (`crate::views::stock::json(..)`).
    for (i, _) in code.match_indices("crate::") {
        let rest: String = code[i..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
        let segs: Vec<String> = rest.split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
        paths.push(segs[1..].to_vec());
    }
    paths
}

/// `a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e].
fn expand(body: &str) -> Vec<String> {
    let Some(open) = body.find('{') else { return vec![body.to_string()] };
    let prefix = &body[..open];
    let inner = &body[open + 1..body.rfind('}').unwrap_or(body.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).flat_map(|p| expand(&format!("{prefix}{p}"))).collect()
}

fn absolute(path: &str, module: &[String]) -> Option<Vec<String>> {
    let path = path.split(" as ").next().unwrap_or(path);
    let segs: Vec<&str> = path.split("::").collect();
    let mut base: Vec<String> = match segs.first()? {
        &"crate" => Vec::new(),
        &"super" | &"self" => module.to_vec(),
        _ => return None,
    };
    let mut rest = &segs[..];
    if segs[0] == "crate" {
        rest = &segs[1..];
    }
    while let Some(&s) = rest.first() {
        match s {
            "super" => {
                base.pop();
            }
            "self" => {}
            _ => break,
        }
        rest = &rest[1..];
    }
    base.extend(rest.iter().filter(|s| **s != "self" && **s != "*").map(|s| s.to_string()));
    Some(base)
}

struct Tree {
    /// module path -> file
    files: BTreeMap<Vec<String>, PathBuf>,
    /// module path -> (name -> module path it re-exports from)
    reexports: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
}

impl Tree {
    fn load() -> Tree {
        let mut list = Vec::new();
        rust_files(&src_dir(), &mut list);
        let mut files = BTreeMap::new();
        let mut reexports = BTreeMap::new();
        for f in list {
            let m = module_of(&f);
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let mut names = BTreeMap::new();
            for stmt in code_only(&text).split(';') {
                let t = stmt.trim();
                let Some(body) = t.strip_prefix("pub use ") else { continue };
                let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
                for p in expand(&body) {
                    let p = if p.starts_with("crate") || p.starts_with("super") || p.starts_with("self") {
                        p
                    } else {
                        format!("self::{p}")
                    };
                    if let Some(abs) = absolute(&p, &m) {
                        if let Some(name) = abs.last() {
                            names.insert(name.clone(), abs[..abs.len() - 1].to_vec());
                        }
                    }
                }
            }
            reexports.insert(m.clone(), names);
            files.insert(m, f);
        }
        Tree { files, reexports }
    }

    /// The file that defines what `path` names: the deepest module on the path, followed through
    /// its re-exports.
    fn resolve(&self, path: &[String]) -> Option<Vec<String>> {
        let mut depth = path.len();
        while depth > 0 && !self.files.contains_key(&path[..depth]) {
            depth -= 1;
        }
        let mut module = path[..depth].to_vec();
        if let Some(name) = path.get(depth) {
            let mut seen = 0;
            while let Some(from) = self.reexports.get(&module).and_then(|r| r.get(name)) {
                let mut d = from.len();
                while d > 0 && !self.files.contains_key(&from[..d]) {
                    d -= 1;
                }
                if from[..d] == module[..] || seen > 8 {
                    break;
                }
                module = from[..d].to_vec();
                seen += 1;
            }
        }
        (!module.is_empty()).then_some(module)
    }
}

#[test]
fn module_edges_follow_the_architecture() {
    let tree = Tree::load();
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut problems = BTreeSet::new();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &tree.files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let name = file.strip_prefix(src_dir()).unwrap_or(file).display().to_string();
        let top = module.first().map(String::as_str).unwrap_or("");
        let code = code_only(&text);
        if (code.contains("sled::") || code.contains("use sled")) && top != "store" {
            problems.insert(format!("{name} uses sled: only src/store may"));
        }
        for path in paths_in(&text, module) {
            let Some(target) = tree.resolve(&path) else { continue };
            let to = target[0].as_str();
            if target != *module {
                graph.entry(module.clone()).or_default().insert(target.clone());
            }
            if module.is_empty() || to == top {
                continue;
            }
            match allowed.get(top) {
                Some(ok) if ok.contains(&to) => {}
                Some(_) => {
                    problems.insert(format!("{name} uses crate::{}: {top} may not use {to}", path.join("::")));
                }
                None => {
                    problems.insert(format!("{name}: module {top} is not in the allowed list"));
                }
            }
        }
    }
    for cycle in cycles(&graph) {
        let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
        problems.insert(format!("import circle: {}", names.join(" -> ")));
    }
    // The reader must see the edges it is meant to judge, or this test would pass on nothing.
    let seen = |from: &str, to: &str| graph.iter().any(|(f, ts)| f[0] == from && ts.iter().any(|t| t[0] == to));
    assert!(
        seen("engine", "store") && seen("tui", "domain") && seen("cli", "link"),
        "the import reader found too little"
    );
    let problems: Vec<String> = problems.into_iter().collect();
    assert!(problems.is_empty(), "{} edge problems:\n{}", problems.len(), problems.join("\n"));
}

/// One representative circle per strongly connected component of more than one file (Tarjan).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a Vec<String>) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on.insert(v);
        let graph = w.graph;
        for u in graph.get(v).into_iter().flatten() {
            if !w.index.contains_key(u) {
                visit(w, u);
                let lu = w.low[u];
                let lv = w.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lu);
            } else if w.on.contains(u) {
                let iu = w.index[u];
                let lv = w.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iu);
            }
        }
        if w.low[v] == w.index[v] {
            let mut comp = Vec::new();
            while let Some(x) = w.stack.pop() {
                w.on.remove(x);
                comp.push(x.clone());
                if x == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.reverse();
                w.out.push(comp);
            }
        }
    }
    let mut w = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !w.index.contains_key(v) {
            visit(&mut w, v);
        }
    }
    w.out
}
