//! mdBook's `book.toml` keys that site-gen reads but that change nothing here: each one a
//! book sets gets a warning that names it and says why, at its line (`check` lists them
//! as the book's compatibility report). Every other key mdBook documents works.

use crate::core::diagnostic::Diagnostic;

/// The start of every such warning's message, which `check`'s report looks for.
pub const NO_EFFECT: &str = "has no effect in site-gen";

/// Dotted keys (a table stands for all of its keys) and why each has no effect.
const KEYS: &[(&str, &str)] = &[
    ("book.multilingual", "mdBook ignores it too"),
    ("build.create-missing", "a chapter file SUMMARY.md lists that does not exist is an error; site-gen never creates one"),
    ("build.use-default-preprocessors", "includes and README → index pages are built in and always on"),
    ("build.extra-watch-dirs", "`serve` watches the book's folder, its theme and the files it includes"),
    ("rust", "Rust code blocks are not compiled or run in a playground"),
    ("output.html.default-theme", "the theme has one light and one dark look, following the reader's setting and the ◐ button"),
    ("output.html.preferred-dark-theme", "the theme has one dark look"),
    ("output.html.git-repository-icon", "the top bar has its own icon for the repository"),
    ("output.html.copy-fonts", "the theme uses the reader's system fonts"),
    ("output.html.hash-files", "the theme's static files are always named by their content"),
    ("output.html.sidebar-header-nav", "each page has its own table of contents of its headings"),
    ("output.html.live-reload-endpoint", "`serve` reloads pages over its own address"),
    ("output.html.fold", "the sidebar shows every chapter, unfolded"),
    ("output.html.playground", "Rust code blocks are not run in the Rust playground"),
    ("output.html.playpen", "Rust code blocks are not run in the Rust playground"),
    ("output.html.code", "only Rust's `# ` lines are hidden lines"),
    ("output.html.search", "search has no settings"),
    ("output.html.print.page-break", "every chapter starts a new printed page"),
];

/// Warnings for the keys of `raw` (book.toml, whose text is `text`) that have no effect,
/// and for outputs other than `html`.
pub fn no_effect_warnings(text: &str, raw: &toml::Table) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, why) in KEYS {
        if lookup(raw, key).is_some() {
            out.push(warning(text, key, &format!("`{key}` {NO_EFFECT}: {why}")));
        }
    }
    if let Some(outputs) = raw.get("output").and_then(toml::Value::as_table) {
        for name in outputs.keys().filter(|n| *n != "html") {
            let key = format!("output.{name}");
            out.push(warning(text, &key, &format!("`[{key}]` {NO_EFFECT}: site-gen writes only the HTML output")));
        }
    }
    if lookup(raw, "output.html.curly-quotes").is_some() {
        out.push(warning(text, "output.html.curly-quotes", "`curly-quotes` is mdBook's old name for `smart-punctuation`, and is read as that"));
    }
    out
}

fn lookup<'t>(raw: &'t toml::Table, dotted: &str) -> Option<&'t toml::Value> {
    let mut parts = dotted.split('.');
    let mut value = raw.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// A warning at where `dotted` is written in `text` (its key, or its table's header).
fn warning(text: &str, dotted: &str, message: &str) -> Diagnostic {
    let d = Diagnostic::warning("book.toml", message).with_help("remove it, or keep it for mdBook");
    match find(text, dotted) {
        Some(span) => d.at(text, span),
        None => d,
    }
}

/// Where `dotted` is written: `[a.b.c]`, `c = ` under `[a.b]`, or `b.c = ` under `[a]`.
fn find(text: &str, dotted: &str) -> Option<std::ops::Range<usize>> {
    let mut table = String::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let start = offset + (line.len() - line.trim_start().len());
        offset += line.len();
        if let Some(header) = trimmed.strip_prefix('[').and_then(|t| t.split(']').next()) {
            table = header.trim().to_owned();
            if table == dotted || table.starts_with(&format!("{dotted}.")) {
                return Some(start..start + trimmed.len());
            }
            continue;
        }
        let Some((key, _)) = trimmed.split_once('=') else { continue };
        let full = if table.is_empty() { key.trim().to_owned() } else { format!("{table}.{}", key.trim()) };
        if full == dotted || full.starts_with(&format!("{dotted}.")) {
            return Some(start..start + key.trim_end().len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(text: &str) -> Vec<String> {
        let raw: toml::Table = toml::from_str(text).unwrap();
        no_effect_warnings(text, &raw).iter().map(|w| w.to_string().split(" (help").next().unwrap_or_default().to_owned()).collect()
    }

    #[test]
    fn keys_without_effect_are_named_at_their_line() {
        let w = warnings(
            "[book]\ntitle = \"T\"\n[output.html]\ndefault-theme = \"navy\"\ncurly-quotes = true\nplayground.runnable = false\n\
             [output.html.fold]\nenable = true\n[output.linkcheck]\n[rust]\nedition = \"2021\"\n",
        );
        assert_eq!(
            w,
            [
                "book.toml:10:1: warning: `rust` has no effect in site-gen: Rust code blocks are not compiled or run in a playground",
                "book.toml:4:1: warning: `output.html.default-theme` has no effect in site-gen: the theme has one light and one dark look, following the reader's setting and the ◐ button",
                "book.toml:7:1: warning: `output.html.fold` has no effect in site-gen: the sidebar shows every chapter, unfolded",
                "book.toml:6:1: warning: `output.html.playground` has no effect in site-gen: Rust code blocks are not run in the Rust playground",
                "book.toml:9:1: warning: `[output.linkcheck]` has no effect in site-gen: site-gen writes only the HTML output",
                "book.toml:5:1: warning: `curly-quotes` is mdBook's old name for `smart-punctuation`, and is read as that",
            ]
        );
    }

    #[test]
    fn keys_that_work_have_no_warning() {
        assert!(warnings("[book]\ntext-direction = \"rtl\"\n[output.html]\nmathjax-support = true\nno-section-label = true\n[output.html.print]\nenable = false\n").is_empty());
    }
}
