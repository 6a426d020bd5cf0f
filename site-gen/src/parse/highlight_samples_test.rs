//! The highlighter's output on one sample file per language that books use (Rust, Python,
//! TOML, shell, console sessions, JavaScript, JSON, C, Markdown), kept as snapshots: a
//! faster highlighter, or a new version of the grammars, must write the same HTML — or
//! the snapshot is changed on purpose and the change reviewed. Beside the snapshots, each
//! sample names the kinds of token (keywords, strings, comments, numbers, functions,
//! types) that must stay coloured, so a replacement is held to what readers see even
//! where its spans differ.

use super::highlight::{highlight_code, StyledScopes};

/// A sample: the fence's language, the file under `tests/fixtures/highlight/`, and
/// `(token, class)` pairs — each token must sit inside a span whose class list starts
/// with `class`.
struct Sample {
    language: &'static str,
    file: &'static str,
    coloured: &'static [(&'static str, &'static str)],
}

const SAMPLES: &[Sample] = &[
    Sample {
        language: "rust",
        file: "sample.rs",
        coloured: &[
            ("fn", "hl-storage"),
            ("return", "hl-keyword"),
            ("raw", "hl-string"),
            ("Whether", "hl-comment"),
            ("0x10_000", "hl-constant hl-numeric"),
            ("is_prime", "hl-entity hl-name hl-function"),
            ("Pool", "hl-entity hl-name hl-struct"),
            ("Counter", "hl-entity hl-name hl-trait"),
        ],
    },
    Sample {
        language: "python",
        file: "sample.py",
        coloured: &[
            ("def", "hl-keyword"),
            ("return", "hl-keyword"),
            ("bad", "hl-string"),
            ("numbers", "hl-comment"),
            ("100_000", "hl-constant hl-numeric"),
            ("is_prime", "hl-entity hl-name hl-function"),
            ("Range", "hl-entity hl-name hl-class"),
            ("and", "hl-keyword hl-operator hl-logical hl-python"),
        ],
    },
    Sample { language: "toml", file: "sample.toml", coloured: &[("Concurrency", "hl-string"), ("settings", "hl-comment"), ("1.5e3", "hl-constant hl-numeric")] },
    Sample { language: "sh", file: "sample.sh", coloured: &[("for", "hl-keyword"), ("usage", "hl-string"), ("Build", "hl-comment")] },
    Sample { language: "console", file: "sample.console", coloured: &[("HOME", "hl-variable")] },
    Sample {
        language: "js",
        file: "sample.js",
        coloured: &[("const", "hl-storage"), ("return", "hl-keyword"), ("module", "hl-string"), ("regular", "hl-comment"), ("1e3", "hl-constant hl-numeric")],
    },
    Sample { language: "json", file: "sample.json", coloured: &[("concurrency-lab", "hl-string"), ("8", "hl-constant hl-numeric"), ("true", "hl-constant hl-language")] },
    Sample {
        language: "c",
        file: "sample.c",
        coloured: &[("return", "hl-keyword"), ("stdio.h", "hl-string"), ("slice", "hl-comment"), ("1000", "hl-constant hl-numeric"), ("is_prime", "hl-entity hl-name hl-function")],
    },
    Sample { language: "markdown", file: "sample.md", coloured: &[("A chapter", "hl-markup hl-heading"), ("emphasis", "hl-markup hl-italic"), ("strong", "hl-markup hl-bold")] },
];

fn theme_styles() -> StyledScopes {
    StyledScopes::from_stylesheets([include_str!("../../../theme/static/style.css")])
}

fn read_sample(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/highlight").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of highlighted HTML: tags taken out, the escapes undone.
fn text_of(html: &str) -> String {
    let text: String = html.split('<').enumerate().map(|(i, part)| if i == 0 { part } else { part.split_once('>').map_or(part, |(_, t)| t) }).collect();
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The class list of the innermost span around the first `token` in `html` that is not
/// part of a longer word, or `None` when it is outside every span.
fn class_around(html: &str, token: &str) -> Option<String> {
    let escaped = {
        let mut out = String::new();
        crate::core::html::escape_text(&mut out, token);
        out
    };
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let at = html
        .match_indices(&escaped)
        .map(|(at, _)| at)
        .find(|&at| !is_word(html[..at].chars().next_back()) && !is_word(html[at + escaped.len()..].chars().next()))
        .unwrap_or_else(|| panic!("{token:?} is not in {html}"));
    let mut open: Vec<&str> = Vec::new();
    let mut rest = &html[..at];
    while let Some(i) = rest.find('<') {
        let (tag, after) = rest[i..].split_once('>').expect("tags are closed");
        match tag.strip_prefix("<span class=\"") {
            Some(class) => open.push(class.trim_end_matches('"')),
            None => {
                open.pop();
            }
        }
        rest = after;
    }
    open.last().map(|c| (*c).to_owned())
}

#[test]
fn every_sample_keeps_its_text_and_its_snapshot() {
    let styles = theme_styles();
    for sample in SAMPLES {
        let code = read_sample(sample.file);
        let html = highlight_code(sample.language, &code, &styles).unwrap_or_else(|| panic!("{} is not highlighted", sample.file));
        assert_eq!(text_of(&html), code, "{}: the text changed", sample.file);
        insta::assert_snapshot!(format!("highlight_{}", sample.file.replace('.', "_")), html);
    }
}

#[test]
fn every_sample_colours_its_keywords_strings_comments_numbers_functions_and_types() {
    let styles = theme_styles();
    let mut wrong = Vec::new();
    for sample in SAMPLES {
        let code = read_sample(sample.file);
        let html = highlight_code(sample.language, &code, &styles).expect("highlighted");
        for (token, class) in sample.coloured {
            let around = class_around(&html, token);
            if !around.as_deref().is_some_and(|around| around.starts_with(class)) {
                wrong.push(format!("{}: {token:?} is in {around:?}, not {class:?}", sample.file));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_token_outside_spans_is_found_outside() {
    assert_eq!(class_around("a <span class=\"hl-x\">b</span> c", "c"), None);
    assert_eq!(class_around("a <span class=\"hl-x\">b <span class=\"hl-y\">c</span></span>", "c").as_deref(), Some("hl-y"));
    assert_eq!(text_of("<span class=\"hl-x\">a &amp;&lt;</span>b"), "a &<b");
}
