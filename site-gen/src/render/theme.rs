//! The theme: Tera templates (`templates/*.html`) and static files (`static/**`).
//!
//! The default theme is built into `site-gen`; a book's own `theme/` folder overrides it
//! file by file, so a book that changes one template keeps every other default. Templates
//! that would never finish rendering, or nest too deep, are refused before any page is
//! rendered ([`template_limits`](crate::render::template_limits)).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tera::Tera;

use crate::core::diagnostic::{display_path, Diagnostic};
use crate::core::error::{Error, Result};
use crate::core::fs::{files_under, relative};
use crate::render::template_limits::{endless_templates, too_deep, MAX_NESTING};

static DEFAULT_THEME: Dir<'static> = include_dir!("$SITE_GEN_THEME");

/// The template every chapter page is rendered with.
pub const PAGE_TEMPLATE: &str = "page.html";

/// The template of the print page, which holds every chapter.
pub const PRINT_TEMPLATE: &str = "print.html";

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum AssetSource {
    BuiltIn(&'static [u8]),
    File(PathBuf),
}

/// The loaded theme.
pub struct Theme {
    pub tera: Tera,
    /// Each template's file (as shown in messages) and text, to point errors at their line.
    pub sources: BTreeMap<String, (PathBuf, String)>,
    /// Static files by path relative to `static/` (copied to `<out>/static/`).
    pub assets: BTreeMap<String, AssetSource>,
}

impl Theme {
    /// Loads the built-in theme, overridden by the files of `theme_dir` if given.
    pub fn load(root: &Path, theme_dir: Option<&Path>) -> Result<Theme> {
        let mut templates: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut assets: BTreeMap<String, AssetSource> = BTreeMap::new();

        if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
            for file in dir.files() {
                let name = relative(Path::new("templates"), file.path());
                let text = file.contents_utf8().unwrap_or_default().to_owned();
                templates.insert(name.clone(), (PathBuf::from("<built-in theme>/templates").join(&name), text));
            }
        }
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            collect_built_in(dir, &mut assets);
        }

        if let Some(theme_dir) = theme_dir {
            let templates_dir = theme_dir.join("templates");
            for path in files_under(&templates_dir)? {
                let name = relative(&templates_dir, &path);
                let text = crate::core::fs::read_text(root, &path)?.unwrap_or_default();
                templates.insert(name, (display_path(root, &path), text));
            }
            let static_dir = theme_dir.join("static");
            for path in files_under(&static_dir)? {
                assets.insert(relative(&static_dir, &path), AssetSource::File(path));
            }
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(escape_html);
        let mut problems = Vec::new();
        for (name, (shown, text)) in &templates {
            if let Some(at) = too_deep(text) {
                let message = format!("tags or brackets nest more than {MAX_NESTING} levels deep here");
                let help = "nest fewer levels: move the inner ones into a template of their own, or a macro";
                problems.push(Diagnostic::error(shown, message).at(text, at..at + 2).with_help(help));
                continue;
            }
            if let Err(e) = tera.add_raw_template(name, text) {
                let message = tera_error_text(&e);
                let d = Diagnostic::error(shown, format!("this template cannot be read: {message}"))
                    .with_help("see Tera's template syntax: {{ value }}, {% if %}…{% endif %}, {% for %}…{% endfor %}");
                problems.push(match parse_error_offset(&message, text) {
                    Some(offset) => d.at(text, offset..offset),
                    None => d,
                });
            }
        }
        if problems.is_empty() {
            problems = endless_templates(&tera, &templates);
        }
        if !problems.is_empty() {
            return Err(Error::Content(problems));
        }
        if !templates.contains_key(PAGE_TEMPLATE) {
            return Err(Diagnostic::error("theme/templates", format!("the theme has no {PAGE_TEMPLATE} template")).into());
        }
        Ok(Theme { tera, sources: templates, assets })
    }
}

fn collect_built_in(dir: &'static Dir<'static>, out: &mut BTreeMap<String, AssetSource>) {
    for file in dir.files() {
        out.insert(relative(Path::new("static"), file.path()), AssetSource::BuiltIn(file.contents()));
    }
    for sub in dir.dirs() {
        collect_built_in(sub, out);
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` (Tera's default also escapes `/`, which makes every
/// path in an attribute unreadable without making it any safer).
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    crate::core::html::escape_attr(&mut out, input);
    out
}

impl Theme {
    /// A failed render of `template`, pointed at the line of the template that failed when
    /// Tera names what it was looking for (an unknown variable, filter or function).
    /// `what` (such as "rendering content/intro.md") goes in the help, so the same mistake
    /// made on every page reads as one problem.
    pub fn template_error(&self, template: &str, what: &str, e: &tera::Error) -> Diagnostic {
        let full = tera_error_text(e);
        let message = full
            .strip_prefix(&format!("Failed to render '{template}': "))
            .unwrap_or(&full)
            .replace(&format!(" while rendering '{template}'"), "");
        let message = format!("the template failed: {message}");
        let Some((shown, text)) = self.sources.get(template) else {
            return Diagnostic::error(format!("theme/templates/{template}"), message).with_help(format!("while {what}"));
        };
        let d = Diagnostic::error(shown, message.clone()).with_help(format!("while {what}"));
        let culprit = message.split('`').nth(1).filter(|name| !name.is_empty());
        match culprit.and_then(|name| text.find(name)) {
            Some(offset) => d.at(text, offset..offset + culprit.map_or(0, str::len)),
            None => d,
        }
    }
}

/// The offset in `text` of the `--> line:column` that Tera's parse errors carry.
fn parse_error_offset(message: &str, text: &str) -> Option<usize> {
    let at = message.find("--> ")?;
    let rest = &message[at + 4..];
    let (line, rest) = rest.split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let (line, column): (usize, usize) = (line.trim().parse().ok()?, column.parse().ok()?);
    let start = crate::core::diagnostic::line_start_offset(text, line);
    let line_text = &text[start..];
    let byte = line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
    Some(start + byte)
}

/// Tera's error with its chain of causes, on one line.
pub fn tera_error_text(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.replace('\n', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_theme_has_the_page_template_and_styles() {
        let theme = Theme::load(Path::new("/nonexistent"), None).unwrap();
        assert!(theme.tera.get_template_names().any(|n| n == PAGE_TEMPLATE));
        assert!(theme.tera.get_template_names().any(|n| n == PRINT_TEMPLATE));
        assert!(theme.assets.contains_key("style.css"));
        assert!(theme.assets.contains_key("demos/runner.js"));
    }

    /// The page finds a demo's definition by the demo's name (`demos/runner.js` imports
    /// `./definitions/<name>.js`): every demo of the catalogue has one, and each is a demo's.
    #[test]
    fn every_demo_of_the_catalogue_has_its_definition_and_no_other() {
        let theme = Theme::load(Path::new("/nonexistent"), None).unwrap();
        let mut defined: Vec<&str> = theme
            .assets
            .keys()
            .filter_map(|path| path.strip_prefix("demos/definitions/")?.strip_suffix(".js"))
            .collect();
        defined.sort_unstable();
        let mut demos: Vec<&str> = demos_wasm::catalogue::catalogue().iter().map(|demo| demo.name).collect();
        demos.sort_unstable();
        assert_eq!(defined, demos, "theme/static/demos/definitions/<name>.js, one per demo of the catalogue");
    }

    #[test]
    fn a_broken_template_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("theme/templates")).unwrap();
        std::fs::write(dir.path().join("theme/templates/page.html"), "{% if %}").unwrap();
        let err = Theme::load(dir.path(), Some(&dir.path().join("theme"))).err().unwrap();
        let Error::Content(d) = err else { panic!() };
        assert!(d[0].to_string().starts_with("theme/templates/page.html:1:7: error: this template cannot be read"), "{}", d[0]);
    }
}
