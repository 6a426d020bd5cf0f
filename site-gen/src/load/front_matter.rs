//! Optional front matter at the top of a chapter: TOML between `+++` lines or YAML between
//! `---` lines. `title`, `description` and `draft` are understood; every other key is
//! passed to the templates as `page.extra`.

use std::path::Path;

use serde_json::{Map, Value};

use crate::core::diagnostic::{line_start_offset, Diagnostic, Position};

/// What a chapter's front matter says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// A draft chapter is listed but gets no page.
    pub draft: bool,
    /// Every other key, for the templates.
    pub extra: Map<String, Value>,
}

/// Splits a chapter into its front matter and the offset where its Markdown starts.
pub fn split_front_matter(file: &Path, text: &str) -> Result<(FrontMatter, usize), Diagnostic> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let (fence, format) = if is_fence(text_no_bom, "+++") {
        ("+++", Format::Toml)
    } else if is_fence(text_no_bom, "---") {
        ("---", Format::Yaml)
    } else {
        return Ok((FrontMatter::default(), 0));
    };
    let body_start = bom + first_line_end(text_no_bom);
    // The closing fence is the next line that is exactly the fence.
    let mut offset = body_start;
    let mut close = None;
    for line in text[body_start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close_start, markdown_start)) = close else {
        if format == Format::Yaml {
            // A `---` first line with no closing fence is a thematic break, not front matter.
            return Ok((FrontMatter::default(), 0));
        }
        return Err(Diagnostic::error(file, "the front matter is not closed")
            .at(text, bom..bom + 3)
            .with_help("end the front matter with a line holding only `+++`"));
    };
    let body = &text[body_start..close_start];
    let first_line = crate::core::diagnostic::position_of(text, body_start).line;
    let table = match format {
        Format::Toml => parse_toml(body).map_err(|(span, message)| {
            Diagnostic::error(file, format!("the front matter is not valid TOML: {message}"))
                .at(text, body_start + span.start..body_start + span.end)
                .with_help("write `key = value` lines, such as `title = \"Threads\"`")
        })?,
        Format::Yaml => parse_yaml(body).map_err(|(position, message)| {
            let d = Diagnostic::error(file, format!("the front matter is not valid YAML: {message}"))
                .with_help("write `key: value` lines, such as `title: Threads`");
            match position {
                Some(p) => {
                    let line = first_line + p.line - 1;
                    let start = line_start_offset(text, line) + p.column.saturating_sub(1);
                    d.at(text, start..start)
                }
                None => d.at(text, body_start..close_start),
            }
        })?,
    };
    let front = interpret(table).map_err(|(key, message)| {
        let span = find_key_span(text, body_start, close_start, &key).unwrap_or(body_start..close_start);
        Diagnostic::error(file, message).at(text, span).with_help("title and description are text; draft is true or false")
    })?;
    Ok((front, markdown_start))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Toml,
    Yaml,
}

fn is_fence(text: &str, fence: &str) -> bool {
    text.split_inclusive('\n').next().is_some_and(|l| l.trim_end() == fence)
}

fn first_line_end(text: &str) -> usize {
    text.find('\n').map_or(text.len(), |i| i + 1)
}

fn parse_toml(body: &str) -> Result<Map<String, Value>, (std::ops::Range<usize>, String)> {
    let table: toml::Table = toml::from_str(body).map_err(|e| (e.span().unwrap_or(0..0), e.message().trim().to_owned()))?;
    match serde_json::to_value(table) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        Err(e) => Err((0..0, e.to_string())),
    }
}

fn parse_yaml(body: &str) -> Result<Map<String, Value>, (Option<Position>, String)> {
    if body.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_yaml_ng::from_str(body).map_err(|e| {
        let position = e.location().map(|l| Position { line: l.line(), column: l.column() });
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        (position, message)
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err((None, format!("expected `key: value` lines, found {}", json_type(&other)))),
    }
}

fn interpret(mut table: Map<String, Value>) -> Result<FrontMatter, (String, String)> {
    let text = |table: &mut Map<String, Value>, key: &str| -> Result<Option<String>, (String, String)> {
        match table.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err((key.to_owned(), format!("`{key}` must be text, not {}", json_type(&other)))),
        }
    };
    let title = text(&mut table, "title")?;
    let description = text(&mut table, "description")?;
    let draft = match table.remove("draft") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(other) => return Err(("draft".into(), format!("`draft` must be true or false, not {}", json_type(&other)))),
    };
    Ok(FrontMatter { title, description, draft, extra: table })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

fn find_key_span(text: &str, start: usize, end: usize, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with(['=', ':']) {
            let s = offset + (line.len() - trimmed.len());
            return Some(s..s + key.len());
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Result<(FrontMatter, usize), Diagnostic> {
        split_front_matter(Path::new("ch.md"), text)
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(split("# Title\n").unwrap(), (FrontMatter::default(), 0));
    }

    #[test]
    fn toml_front_matter() {
        let text = "+++\ntitle = \"Threads\"\ndescription = \"Shared memory\"\ndraft = false\nlevel = 2\n+++\n# Body\n";
        let (f, start) = split(text).unwrap();
        assert_eq!(f.title.as_deref(), Some("Threads"));
        assert_eq!(f.description.as_deref(), Some("Shared memory"));
        assert!(!f.draft);
        assert_eq!(f.extra["level"], 2);
        assert_eq!(&text[start..], "# Body\n");
    }

    #[test]
    fn yaml_front_matter() {
        let text = "---\ntitle: Async\ndraft: true\ntags: [a, b]\n---\nBody";
        let (f, start) = split(text).unwrap();
        assert_eq!(f.title.as_deref(), Some("Async"));
        assert!(f.draft);
        assert_eq!(f.extra["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(&text[start..], "Body");
    }

    #[test]
    fn a_leading_rule_without_a_closing_one_is_markdown() {
        assert_eq!(split("---\n\nText\n").unwrap().1, 0);
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let e = split("+++\ntitle = \"ok\"\ntitle = = 3\n+++\n").unwrap_err();
        assert!(e.to_string().starts_with("ch.md:3:"), "{e}");
        assert!(e.to_string().contains("not valid TOML"), "{e}");
    }

    #[test]
    fn malformed_yaml_names_the_line() {
        let e = split("---\ntitle: ok\nlist: [1, 2\nmore: x\n---\n").unwrap_err();
        assert!(e.to_string().starts_with("ch.md:"), "{e}");
        let line = e.location.position.unwrap().line;
        assert!((3..=5).contains(&line), "{e}");
    }

    #[test]
    fn wrong_types_point_at_the_key() {
        let e = split("+++\ndraft = \"yes\"\n+++\n").unwrap_err();
        assert_eq!(e.to_string().split(" (help").next().unwrap(), "ch.md:2:1: error: `draft` must be true or false, not text");
        let e = split("---\ntitle: [1]\n---\n").unwrap_err();
        assert!(e.to_string().starts_with("ch.md:2:1: error: `title` must be text, not a list"), "{e}");
    }

    #[test]
    fn unclosed_toml_is_an_error() {
        let e = split("+++\ntitle = \"x\"\n").unwrap_err();
        assert!(e.to_string().starts_with("ch.md:1:1: error: the front matter is not closed"), "{e}");
    }
}
