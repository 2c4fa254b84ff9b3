//! The structure rules of ARCHITECTURE.md, checked on the source itself: no file in `src/`
//! over 600 lines, no function over 80 lines, and no import cycle among the `src/tui`
//! modules (a module's `super::x` / `crate::tui::x` paths are its edges).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 80;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The source with comments, strings and char literals blanked (same length, newlines kept),
/// so braces and `fn` can be counted.
fn code_only(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in out.iter_mut().take(to).skip(from) {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = s[i..].find('\n').map_or(b.len(), |k| i + k);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = s[i + 2..].find("*/").map_or(b.len(), |k| i + 2 + k + 2);
                blank(&mut out, i, end);
                i = end;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"') | Some(b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let start = i + 2 + hashes;
                let end = s[start..]
                    .find(&close)
                    .map_or(b.len(), |k| start + k + close.len());
                blank(&mut out, i, end);
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i, j + 1);
                i = j + 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '{'), not a lifetime.
                let end = if b.get(i + 1) == Some(&b'\\') {
                    s[i + 2..].find('\'').map(|k| i + 2 + k + 1)
                } else {
                    let ch = s[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + ch) == Some(&b'\'')).then_some(i + 2 + ch)
                };
                match end {
                    Some(e) => {
                        blank(&mut out, i, e);
                        i = e;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// (name, first line, lines) of every function with a body.
fn functions(s: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(s);
    let text = String::from_utf8_lossy(&code).into_owned();
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(k) = text[at..].find("fn ") {
        let start = at + k;
        at = start + 3;
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let name: String = text[start + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` before any `;` (a declaration has none).
        let Some(open) = text[start..].find(['{', ';']).map(|k| start + k) else {
            continue;
        };
        if bytes[open] == b';' {
            continue;
        }
        let mut depth = 0;
        let mut close = open;
        for (j, &c) in bytes.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let line = text[..start].matches('\n').count() + 1;
        let lines = text[start..=close].matches('\n').count() + 1;
        found.push((name, line, lines));
    }
    found
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).unwrap().lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{} ({n} lines)", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines: {long:#?}"
    );
}

#[test]
fn no_function_is_over_80_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for p in &files {
        let s = std::fs::read_to_string(p).unwrap();
        for (name, line, n) in functions(&s) {
            if n > MAX_FN_LINES {
                long.push(format!("{}:{line} {name} ({n} lines)", p.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines: {long:#?}"
    );
}

#[test]
fn the_counter_sees_functions_through_strings_and_comments() {
    let s = "fn a() {\n let s = \"}{\"; // }\n let c = '{';\n}\nfn b<'x>(v: &'x str) -> usize { v.len() }\n";
    assert_eq!(
        functions(s),
        vec![("a".to_string(), 1, 4), ("b".to_string(), 5, 1)]
    );
}

/// The module a file is (`tui::app`, `tui::panes::corpus`, `tui` for `tui/mod.rs`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// Edges of one file: the modules its `super::…` and `crate::tui::…` paths land in (the
/// deepest existing module along each path).
fn edges(module: &str, code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let own: Vec<&str> = module.split("::").collect();
    // `super` is the module holding this one (for `x/mod.rs`, module `x`'s parent).
    let base = &own[..own.len() - 1];
    let mut targets = Vec::new();
    for (i, _) in code.match_indices("super::") {
        if i > 0 && code.as_bytes()[i - 1] == b':' {
            continue;
        }
        let mut rest = &code[i..];
        let mut up = base.to_vec();
        while let Some(r) = rest.strip_prefix("super::") {
            if rest.len() != code[i..].len() {
                up.pop();
            }
            rest = r;
        }
        targets.push((up.join("::"), rest.to_string()));
    }
    for (i, _) in code.match_indices("crate::tui") {
        targets.push(("".into(), code[i + "crate::".len()..].to_string()));
    }
    for (prefix, rest) in targets {
        let mut path = prefix;
        let mut last = None;
        for seg in rest.split("::") {
            let seg: String = seg
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if seg.is_empty() {
                break;
            }
            let next = if path.is_empty() {
                seg.clone()
            } else {
                format!("{path}::{seg}")
            };
            if modules.contains(&next) {
                last = Some(next.clone());
                path = next;
            } else {
                break;
            }
        }
        // A path into a module's own items (e.g. `super::note` in panes/) is an edge to it.
        let to = last.unwrap_or(path);
        if to != module && to.starts_with("tui") {
            out.insert(to);
        }
    }
    out
}

#[test]
fn tui_modules_have_no_import_cycle() {
    let mut files = Vec::new();
    rust_files(&src().join("tui"), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|p| module_of(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in &files {
        let m = module_of(p);
        let code =
            String::from_utf8_lossy(&code_only(&std::fs::read_to_string(p).unwrap())).into_owned();
        // `mod x;` declarations and re-exports of children are a parent's, not dependencies.
        let is_mod_rs = p.file_name().is_some_and(|n| n == "mod.rs");
        let mut e = edges(&m, &code, &modules);
        if is_mod_rs {
            e.retain(|t| !t.starts_with(&format!("{m}::")));
        }
        graph.insert(m, e);
    }
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for t in g.get(n).into_iter().flatten() {
            match state.get(t.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|s| s == t).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(t.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(t, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            let cycle = visit(n, &graph, &mut state, &mut Vec::new());
            assert!(
                cycle.is_none(),
                "import cycle: {}",
                cycle.unwrap().join(" → ")
            );
        }
    }
    // The check sees real edges: the app depends on its panes, and panes on the vocabulary.
    assert!(graph["tui::app"].contains("tui::panes::corpus"));
    assert!(graph["tui::panes::corpus"].contains("tui::msg"));
}
