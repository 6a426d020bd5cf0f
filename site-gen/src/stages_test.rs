//! Holds the code to its one-way order: every `.rs` file under `src/` belongs to a stage
//! (its top-level folder or file), and may name only its own stage and the stages before
//! it. A name is a `crate::x` path anywhere in the code (`use crate::x::…`, `crate::x::f()`,
//! `use crate::{x, y}`), or a `super::` path that climbs out of its stage to the crate's
//! root and on into `x`. Comments and string literals are left out.

use std::path::{Path, PathBuf};

/// The stages, first to last. `lib.rs` sits above them all; `cli`, the modules of the binary
/// (`main.rs`), comes last: it uses the library by its public paths only.
const STAGES: [&str; 11] = ["core", "load", "parse", "render", "check", "search", "write", "init", "build", "serve", "cli"];

/// The stage of a top-level module, by its place in [`STAGES`]; the crate's root (and
/// anything not a stage, such as the public paths `lib.rs` declares) comes after them all.
fn rank(module: &str) -> usize {
    STAGES.iter().position(|s| *s == module).unwrap_or(STAGES.len())
}

/// One name of a later stage.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    line: usize,
    named: String,
}

/// The names of later stages in `source`, the text of the file at `file` (relative to
/// `src/`, `/`-separated).
fn later_stage_names(file: &str, source: &str) -> Vec<Violation> {
    let module = module_path(file);
    let Some(stage) = module.first() else { return Vec::new() };
    let own = rank(stage);
    let code = strip_comments_and_strings(source);
    let mut found = Vec::new();
    for (named, at) in top_level_names(&code, module.len()) {
        if rank(&named) > own {
            found.push(Violation { line: code[..at].matches('\n').count() + 1, named });
        }
    }
    found
}

/// `load/book.rs` → `["load", "book"]`; `build/mod.rs` → `["build"]`; `lib.rs` → `[]`.
fn module_path(file: &str) -> Vec<String> {
    let file = file.strip_suffix(".rs").unwrap_or(file);
    let mut parts: Vec<String> = file.split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts
}

/// Every top-level module the code names, with where: `crate::x`, each name of
/// `crate::{x, y::z}`, and `super::…::x` where the `super`s climb to the crate's root
/// from a file `file_depth` modules deep (inline `mod name { … }` blocks add to it).
fn top_level_names(code: &str, file_depth: usize) -> Vec<(String, usize)> {
    let bytes = code.as_bytes();
    let mut names = Vec::new();
    // The depth of the module at each open brace: inline modules nest one deeper.
    let mut braces: Vec<bool> = Vec::new();
    let mut inline_depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &code[i..];
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        if bytes[i] == b'{' {
            let opens_module = is_inline_module(&code[..i]);
            inline_depth += usize::from(opens_module);
            braces.push(opens_module);
        } else if bytes[i] == b'}' {
            if braces.pop() == Some(true) {
                inline_depth -= 1;
            }
        } else if starts_word && rest.starts_with("crate::") {
            let after = i + "crate::".len();
            names.extend(names_after(code, after));
        } else if starts_word && rest.starts_with("super::") {
            let mut climbs = 0;
            let mut at = i;
            while code[at..].starts_with("super::") {
                climbs += 1;
                at += "super::".len();
            }
            if climbs >= file_depth + inline_depth {
                names.extend(names_after(code, at));
            }
            i = at;
            continue;
        }
        i += 1;
    }
    names
}

/// The module names that follow `crate::` at `at`: one name, or each first name in braces.
fn names_after(code: &str, at: usize) -> Vec<(String, usize)> {
    let rest = &code[at..];
    let Some(group) = rest.strip_prefix('{') else {
        let word = ident_at(rest, 0);
        return if word.is_empty() { Vec::new() } else { vec![(word, at)] };
    };
    let mut names = Vec::new();
    let mut depth = 0;
    let mut expecting = true;
    for (offset, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expecting = true,
            c if expecting && depth == 0 && (c.is_ascii_alphabetic() || c == '_') => {
                names.push((ident_at(group, offset), at + 1 + offset));
                expecting = false;
            }
            _ => {}
        }
    }
    names
}

fn ident_at(text: &str, at: usize) -> String {
    text[at..].chars().take_while(|&c| c.is_ascii_alphanumeric() || c == '_').collect()
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// True when the text before a `{` ends with `mod name`.
fn is_inline_module(before: &str) -> bool {
    let trimmed = before.trim_end();
    let name_start = trimmed.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    let before_name = trimmed[..name_start].trim_end();
    name_start < trimmed.len()
        && before_name.ends_with("mod")
        && before_name[..before_name.len() - 3].chars().next_back().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
}

/// `source` with comments, string literals (raw ones too) and character literals blanked
/// out (newlines kept, so line numbers stay), so that only code is read.
fn strip_comments_and_strings(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |out: &mut String, text: &str| out.extend(text.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
    while i < bytes.len() {
        let rest = &source[i..];
        let end = if rest.starts_with("//") {
            rest.find('\n').unwrap_or(rest.len())
        } else if rest.starts_with("/*") {
            block_comment_end(rest)
        } else if let Some(len) = raw_string_len(rest) {
            len
        } else if rest.starts_with('"') || (rest.starts_with("b\"") && (i == 0 || !is_ident(bytes[i - 1]))) {
            string_len(rest)
        } else if let Some(len) = char_literal_len(rest) {
            len
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        blank(&mut out, &rest[..end]);
        i += end;
    }
    out
}

fn block_comment_end(rest: &str) -> usize {
    let mut depth = 0;
    let mut i = 0;
    while i < rest.len() {
        if rest[i..].starts_with("/*") {
            depth += 1;
            i += 2;
        } else if rest[i..].starts_with("*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += rest[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    rest.len()
}

/// The length of `r"…"`, `r#"…"#`, `br##"…"##` … at the start of `rest`.
fn raw_string_len(rest: &str) -> Option<usize> {
    let after_b = rest.strip_prefix('b').unwrap_or(rest);
    let after_r = after_b.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)? + close.len();
    Some(rest.len() - body.len() + end)
}

fn string_len(rest: &str) -> usize {
    let start = rest.find('"').map_or(0, |i| i + 1);
    let mut escaped = false;
    for (i, c) in rest[start..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return start + i + 1,
            _ => {}
        }
    }
    rest.len()
}

/// The length of a character literal (`'x'`, `'\n'`, `'\''`, `'\u{1F600}'`) at the start
/// of `rest`; `None` for a lifetime (`'a`).
fn char_literal_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('\'')?;
    if let Some(escape) = body.strip_prefix('\\') {
        let close = escape.char_indices().skip(1).find(|(_, c)| *c == '\'')?.0;
        return Some(2 + close + 1);
    }
    let c = body.chars().next()?;
    body[c.len_utf8()..].starts_with('\'').then_some(1 + c.len_utf8() + 1)
}

/// Every `.rs` file under `dir`, as paths relative to `base`, `/`-separated.
fn rust_files(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

#[test]
fn no_module_names_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    assert!(files.len() > 40, "found only {files:?}");
    let mut problems = Vec::new();
    for file in files {
        let shown = file.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let stage = module_path(&shown).first().cloned().unwrap_or_default();
        if !stage.is_empty() && rank(&stage) == STAGES.len() && shown != "stages_test.rs" {
            problems.push(format!("{shown}: not in a stage; add its stage to STAGES"));
        }
        let source = std::fs::read_to_string(src.join(&file)).unwrap();
        for v in later_stage_names(&shown, &source) {
            problems.push(format!("{shown}:{}: the `{stage}` stage names `{}`, a later one", v.line, v.named));
        }
    }
    assert!(problems.is_empty(), "imports against the stages' order ({}):\n{}", STAGES.join(" → "), problems.join("\n"));
}

#[test]
fn later_stages_are_found_in_every_spelling() {
    let named = |file: &str, source: &str| -> Vec<String> { later_stage_names(file, source).into_iter().map(|v| v.named).collect() };
    assert_eq!(named("load/book.rs", "use crate::render::page::Page;"), ["render"]);
    assert_eq!(named("load/book.rs", "use crate::{core::fs, parse::markdown, serve};"), ["parse", "serve"]);
    assert_eq!(named("parse/markdown.rs", "fn f() { crate::build::chapter::x(); }"), ["build"]);
    // `super::` climbing out of the stage to the root and into a later one.
    assert_eq!(named("render/mod.rs", "use super::build::Site;"), ["build"]);
    assert_eq!(named("render/page.rs", "use super::super::check::links;"), ["check"]);
    // Inside the stage, or inside a file's own test module, `super::` stays put.
    assert!(named("render/page.rs", "use super::nav::Navigation;").is_empty());
    assert!(named("render/mod.rs", "mod tests { use super::*; }").is_empty());
    assert!(named("build/mod.rs", "use crate::render::page::Page; use crate::search::index_book;").is_empty());
    // Comments and strings are not code.
    assert!(named("core/fs.rs", "// see crate::serve\nlet s = \"crate::build\"; let r = r#\"crate::load\"#;").is_empty());
    // Lines are counted in the file.
    assert_eq!(later_stage_names("core/html.rs", "\n\nuse crate::load::book;"), [Violation { line: 3, named: "load".into() }]);
    // What is not a stage (the public paths `lib.rs` declares) counts as the last.
    assert_eq!(named("serve/mod.rs", "use crate::markdown::render_markdown;"), ["markdown"]);
}
