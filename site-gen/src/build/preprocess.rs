//! The "run preprocessors" step: every `[preprocessor.NAME]` of `book.toml` run over the
//! book as mdBook runs it, over mdBook 0.5's protocol: `COMMAND supports html` first (a
//! non-zero exit skips it), then `COMMAND` with `[context, book]` as JSON on its standard
//! input, writing the changed book as JSON on its standard output. The chapters it is sent
//! have their directives (`{{#include}}` …) already expanded, as mdBook's built-in `links`
//! preprocessor does before the others; what comes back replaces each chapter's text.
//! A preprocessor that cannot be started, fails or writes something else is an error at
//! its table in `book.toml` (a warning when it is `optional`).

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::core::diagnostic::Diagnostic;
use crate::core::error::{Error, Result};
use crate::load::book::Book;
use crate::load::config::CONFIG_FILE;
use crate::load::include::expand;
use crate::load::preprocessors::{at_table, Preprocessor};
use crate::load::summary::SummaryItem;

/// The mdBook version whose protocol this speaks, as preprocessors are told.
const MDBOOK_VERSION: &str = "0.5.4";

/// Runs the book's preprocessors over `book`, in order. Problems that do not stop the
/// build are added to `warnings`.
pub(crate) fn run_preprocessors(book: &mut Book, warnings: &mut Vec<Diagnostic>) -> Result<()> {
    if book.config.preprocessors.is_empty() {
        return Ok(());
    }
    expand_directives(book, warnings)?;
    let context = context_json(book);
    let text = std::fs::read_to_string(book.config.root.join(CONFIG_FILE)).unwrap_or_default();
    let mut json = book_json(book);
    for preprocessor in book.config.preprocessors.clone() {
        let problem = |message: String| at_table(&text, &preprocessor.name, Diagnostic::error(CONFIG_FILE, message));
        match run_one(&book.config.root, &preprocessor, &context, &json) {
            Ok(Some(changed)) => json = changed,
            Ok(None) => {}
            Err(Failure::NotFound(message)) if preprocessor.optional => {
                let warning = at_table(&text, &preprocessor.name, Diagnostic::warning(CONFIG_FILE, message));
                warnings.push(warning.with_help(OPTIONAL_HELP));
            }
            Err(Failure::NotFound(message)) => return Err(Error::Content(vec![problem(message).with_help(INSTALL_HELP)])),
            Err(Failure::Failed(message)) => return Err(Error::Content(vec![problem(message)])),
        }
    }
    take_changes(book, &json, warnings);
    Ok(())
}

/// A warning naming the preprocessors that are not run (`--no-preprocessors`), if any.
pub(crate) fn not_run(book: &Book) -> Option<Diagnostic> {
    let names: Vec<String> = book.config.preprocessors.iter().map(|p| format!("`{}`", p.name)).collect();
    (!names.is_empty()).then(|| {
        Diagnostic::warning(CONFIG_FILE, format!("the preprocessors {} are not run (--no-preprocessors)", names.join(", ")))
            .with_help("the chapters are shown as written, their directives expanded")
    })
}

const INSTALL_HELP: &str = "install it (mdBook preprocessors are commands named mdbook-NAME), set its `command`, \
     or write `optional = true` in its table to build without it";
const OPTIONAL_HELP: &str = "the book is built without it; install it to use it";

/// Why a preprocessor did not change the book.
enum Failure {
    /// Its command could not be started.
    NotFound(String),
    /// It ran and failed, or wrote something that is not a book.
    Failed(String),
}

/// Every chapter's directives expanded, its `{{#title}}` kept as its title.
fn expand_directives(book: &mut Book, warnings: &mut Vec<Diagnostic>) -> Result<()> {
    let mut problems = Vec::new();
    let config = &book.config;
    for chapter in &mut book.chapters {
        let path = config.src_dir.join(&chapter.source);
        match expand(&config.root, &path, &chapter.shown, chapter.text.clone(), chapter.body_start) {
            Ok(expanded) => {
                warnings.extend(expanded.warnings);
                if expanded.title.is_some() {
                    chapter.front.title = expanded.title;
                }
                chapter.text = expanded.text.into();
                chapter.body_start = 0;
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Content(problems))
    }
}

/// What preprocessors are told besides the book: its root, `book.toml`, the renderer.
fn context_json(book: &Book) -> Value {
    let config = &book.config;
    let mut raw = serde_json::to_value(&config.raw).unwrap_or_else(|_| json!({}));
    let src = config.src_dir.strip_prefix(&config.root).unwrap_or(&config.src_dir).to_string_lossy().into_owned();
    if let Some(table) = raw.as_object_mut() {
        let section = table.entry("book").or_insert_with(|| json!({}));
        if let Some(section) = section.as_object_mut() {
            section.entry("src").or_insert(Value::String(src));
        }
    }
    json!({ "root": config.root, "config": raw, "renderer": "html", "mdbook_version": MDBOOK_VERSION })
}

/// The book as mdBook sends it: `{"items": [{"Chapter": {…}}, "Separator", {"PartTitle": …}]}`.
fn book_json(book: &Book) -> Value {
    fn items(book: &Book, list: &[SummaryItem], parents: &[String]) -> Vec<Value> {
        list.iter()
            .map(|item| match item {
                SummaryItem::Separator => json!("Separator"),
                SummaryItem::PartTitle(title) => json!({ "PartTitle": title }),
                SummaryItem::Chapter(link) => {
                    let chapter = link.location.as_ref().and_then(|l| book.chapters.iter().find(|c| &c.source == l));
                    let content = chapter.map_or("", |c| &c.text[c.body_start..]);
                    let path = link.location.as_ref().map(|l| index_path(l));
                    let mut below = parents.to_vec();
                    below.push(link.title.clone());
                    json!({ "Chapter": {
                        "name": link.title, "content": content, "number": link.number,
                        "sub_items": items(book, &link.nested, &below),
                        "path": path, "source_path": link.location, "parent_names": parents,
                    }})
                }
            })
            .collect()
    }
    json!({ "items": items(book, &book.summary.items, &[]) })
}

/// `README.md` is `index.md` to preprocessors, as after mdBook's `index` preprocessor.
fn index_path(location: &Path) -> String {
    let path = location.to_string_lossy();
    match path.strip_suffix("README.md") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index.md"),
        _ => path.into_owned(),
    }
}

/// Runs one preprocessor over `book`; `None` when it does not support the HTML renderer.
fn run_one(root: &Path, p: &Preprocessor, context: &Value, book: &Value) -> std::result::Result<Option<Value>, Failure> {
    if p.renderers.as_ref().is_some_and(|r| !r.iter().any(|r| r == "html")) {
        return Ok(None);
    }
    let start = |words: &[&str]| command(root, &p.command).map(|mut c| {
        c.args(words).current_dir(root);
        c
    });
    let supports = start(&["supports", "html"])?.stdin(Stdio::null()).stdout(Stdio::null()).status();
    match supports {
        Ok(status) if !status.success() => return Ok(None),
        Ok(_) => {}
        Err(e) => return Err(Failure::NotFound(format!("the preprocessor `{}` cannot be started (`{}`): {e}", p.name, p.command))),
    }
    let mut child = start(&[])?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::NotFound(format!("the preprocessor `{}` cannot be started (`{}`): {e}", p.name, p.command)))?;
    let input = serde_json::to_vec(&json!([context, book])).unwrap_or_default();
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || stdin.as_mut().map(|s| s.write_all(&input)));
    let output = child.wait_with_output().map_err(|e| Failure::Failed(format!("the preprocessor `{}` did not finish: {e}", p.name)))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(Failure::Failed(format!("the preprocessor `{}` failed ({})", p.name, output.status)));
    }
    let changed: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| Failure::Failed(format!("the preprocessor `{}` did not write a book as JSON: {e}", p.name)))?;
    if !changed.get("items").is_some_and(Value::is_array) {
        return Err(Failure::Failed(format!("the preprocessor `{}` wrote JSON without the book's `items`", p.name)));
    }
    Ok(Some(changed))
}

/// The command line `line` as a command: words split at spaces (quotes keep spaces), the
/// program relative to the book's root when it is a path.
fn command(root: &Path, line: &str) -> std::result::Result<Command, Failure> {
    let words = split_words(line);
    let Some((program, args)) = words.split_first() else {
        return Err(Failure::NotFound("the preprocessor's command is empty".to_owned()));
    };
    let program = if program.contains('/') { root.join(program).to_string_lossy().into_owned() } else { program.clone() };
    let mut command = Command::new(program);
    command.args(args);
    Ok(command)
}

/// Splits a command line at white space; single or double quotes keep theirs.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Takes every chapter's new text from the preprocessed book `json`.
fn take_changes(book: &mut Book, json: &Value, warnings: &mut Vec<Diagnostic>) {
    fn walk(items: &[Value], found: &mut Vec<(String, String, String)>) {
        for item in items {
            let Some(chapter) = item.get("Chapter") else { continue };
            let text = |key: &str| chapter.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            found.push((text("source_path"), text("name"), text("content")));
            walk(chapter.get("sub_items").and_then(Value::as_array).map_or(&[], Vec::as_slice), found);
        }
    }
    let mut found = Vec::new();
    walk(json.get("items").and_then(Value::as_array).map_or(&[], Vec::as_slice), &mut found);
    for (source, name, content) in found {
        match book.chapters.iter_mut().find(|c| !source.is_empty() && c.source == Path::new(&source)) {
            Some(chapter) => {
                chapter.text = content.into();
                chapter.body_start = 0;
            }
            None if !source.is_empty() || !content.is_empty() => warnings.push(
                Diagnostic::warning(CONFIG_FILE, format!("a preprocessor added the chapter `{name}`, which is not in SUMMARY.md and has no page"))
                    .with_help("list its file in SUMMARY.md"),
            ),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_split_like_a_shell() {
        assert_eq!(split_words("python3 'my dir/pre.py' --x \"a b\""), ["python3", "my dir/pre.py", "--x", "a b"]);
        assert_eq!(split_words("  mdbook-admonish  "), ["mdbook-admonish"]);
        assert_eq!(index_path(Path::new("guide/README.md")), "guide/index.md");
        assert_eq!(index_path(Path::new("NOTREADME.md")), "NOTREADME.md");
    }
}
