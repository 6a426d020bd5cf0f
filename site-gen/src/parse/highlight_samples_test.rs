//! The highlighter's output on one sample file per language that books use (Rust, Python,
//! TOML, shell, console sessions, JavaScript, JSON, C, Markdown), kept as snapshots: a
//! faster highlighter, or a new version of the grammars, must write the same HTML — or
//! the snapshot is changed on purpose and the change reviewed. Beside the snapshots, each
//! sample names the kinds of token (keywords, strings, comments, numbers, functions,
//! types) that must stay coloured, so a replacement is held to what readers see even
//! where its spans differ.

use super::highlight::{highlight_code, highlight_code_with, Engine, StyledScopes};

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

/// Each character of highlighted HTML with the colour the theme gives it: the classes of
/// the innermost span around it (sorted, so that `hl-other hl-constant` and `hl-constant
/// hl-other` are the same colour), or `None` outside every span.
fn colours(html: &str) -> Vec<(char, Option<String>)> {
    let mut out = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<span class=\"") {
            let (class, after) = after.split_once("\">").expect("tags are closed");
            let mut classes: Vec<&str> = class.split(' ').collect();
            classes.sort_unstable();
            open.push(classes.join(" "));
            rest = after;
        } else if let Some(after) = rest.strip_prefix("</span>") {
            open.pop();
            rest = after;
        } else {
            let (c, len) = match rest.find(';').filter(|_| rest.starts_with('&')) {
                Some(end) => (text_of(&rest[..=end]).chars().next().expect("an escape"), end + 1),
                None => {
                    let c = rest.chars().next().expect("not empty");
                    (c, c.len_utf8())
                }
            };
            out.push((c, open.last().cloned()));
            rest = &rest[len..];
        }
    }
    out
}

/// The languages tree-sitter highlights, with the least share of their samples' visible
/// characters that must be the same colour as syntect makes them. What differs (printed by
/// the test) is where one grammar knows more than the other: syntect colours the string
/// prefixes (`r`, `b`, `f`), the format placeholders (`{}`, `:.2f`) and number suffixes
/// (`u64`), its JavaScript grammar template strings' backticks, the `:` of object keys and a
/// regular expression's syntax; tree-sitter colours every parameter (syntect misses arrow
/// functions'), numbers syntect's grammars cut short (`2e3` in Rust, `1_000` in
/// JavaScript), and never an escape in a raw string (syntect colours `\n` in `r'raw\n'`).
const TREE_SITTER_SAMPLES: &[(&str, f64)] = &[("sample.rs", 0.95), ("sample.py", 0.95), ("sample.js", 0.93), ("sample.toml", 0.99)];

/// Whether the colour is a comment's or a string's, and which.
fn comment_or_string(colour: &Option<String>) -> Option<&'static str> {
    let classes = colour.as_deref()?.split(' ').collect::<Vec<_>>();
    ["hl-comment", "hl-string"].into_iter().find(|kind| classes.contains(kind))
}

#[test]
fn tree_sitter_colours_the_samples_as_syntect_does() {
    let styles = theme_styles();
    let mut failures = Vec::new();
    for &(file, least) in TREE_SITTER_SAMPLES {
        let sample = SAMPLES.iter().find(|s| s.file == file).expect("a sample");
        let code = read_sample(file);
        let syntect = colours(&highlight_code_with(Engine::Syntect, sample.language, &code, &styles).expect("highlighted"));
        let tree_sitter = colours(&highlight_code_with(Engine::Preferred, sample.language, &code, &styles).expect("highlighted"));
        assert_eq!(syntect.len(), tree_sitter.len(), "{file}");
        let (mut visible, mut same) = (0, 0);
        // Runs of characters coloured differently: (line, text, syntect, tree-sitter).
        let mut differences: Vec<(usize, String, Option<String>, Option<String>)> = Vec::new();
        let mut in_comments_or_strings = 0;
        // Characters syntect colours as a comment or a string that tree-sitter does not.
        let mut lost = Vec::new();
        let mut line = 1;
        let mut previous_differed = false;
        for ((c, old), (_, new)) in syntect.iter().zip(&tree_sitter) {
            if *c == '\n' {
                line += 1;
            }
            if c.is_whitespace() {
                continue;
            }
            visible += 1;
            if old == new {
                same += 1;
                previous_differed = false;
                continue;
            }
            if comment_or_string(old).is_some() || comment_or_string(new).is_some() {
                in_comments_or_strings += 1;
            }
            if comment_or_string(old).is_some_and(|kind| comment_or_string(new) != Some(kind)) {
                lost.push(format!("{file}:{line}: {c:?} syntect {old:?}, tree-sitter {new:?}"));
            }
            match differences.last_mut() {
                Some((_, text, o, n)) if previous_differed && o == old && n == new => text.push(*c),
                _ => differences.push((line, c.to_string(), old.clone(), new.clone())),
            }
            previous_differed = true;
        }
        let share = same as f64 / visible as f64;
        let report = differences
            .iter()
            .map(|(line, text, old, new)| format!("  {file}:{line}: {text:?} syntect {old:?}, tree-sitter {new:?}"))
            .collect::<Vec<_>>()
            .join("\n");
        println!("{file}: {same} of {visible} visible characters the same colour ({:.1}%), {in_comments_or_strings} differ in comments or strings\n{report}", share * 100.0);
        if share < least {
            failures.push(format!("{file}: {:.1}% the same colour, less than {:.1}%\n{report}", share * 100.0, least * 100.0));
        }
        // Every character syntect shows as a comment or a string, tree-sitter shows as the
        // same (tree-sitter also colours string prefixes and placeholders as the string).
        if !lost.is_empty() {
            failures.push(format!("{file}: comments or strings lost\n{}", lost.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
