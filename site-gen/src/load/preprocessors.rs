//! `[preprocessor.NAME]` tables of `book.toml`: mdBook's external preprocessors, each a
//! command that reads the book as JSON and writes it back changed (run by
//! `build/preprocess.rs`). `command` (default `mdbook-NAME`), `before` and `after` (names
//! of the preprocessors this one runs before or after), `renderers` (it runs only when
//! `html` is listed) and `optional` (a missing command is then a warning) are read here;
//! mdBook's own `links` and `index` are built in and need no command.

use crate::core::diagnostic::Diagnostic;

/// One `[preprocessor.NAME]` to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessor {
    pub name: String,
    /// The command line: the program (a path is relative to the book's root) and its words.
    pub command: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// `renderers`, when given.
    pub renderers: Option<Vec<String>>,
    pub optional: bool,
}

/// mdBook's own preprocessors, which site-gen does itself.
const BUILT_IN: [&str; 2] = ["links", "index"];

/// The preprocessors to run, in order (`before`/`after` kept, else by name); problems at
/// their key in `book.toml` (`text`).
pub fn preprocessors(text: &str, table: Option<&toml::Table>) -> Result<Vec<Preprocessor>, Vec<Diagnostic>> {
    let Some(table) = table else { return Ok(Vec::new()) };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (name, value) in table {
        let empty = toml::Table::new();
        let settings = value.as_table().unwrap_or(&empty);
        if BUILT_IN.contains(&name.as_str()) && !settings.contains_key("command") {
            continue;
        }
        match read_one(name, settings) {
            Ok(p) => found.push(p),
            Err(message) => problems.push(at_table(text, name, Diagnostic::error("book.toml", message))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    ordered(found).map_err(|message| vec![Diagnostic::error("book.toml", message).with_help("remove one of the `before`/`after` entries in the circle")])
}

fn read_one(name: &str, settings: &toml::Table) -> Result<Preprocessor, String> {
    let strings = |key: &str| -> Result<Vec<String>, String> {
        match settings.get(key) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| format!("preprocessor.{name}.{key} must be a list of names")))
                .collect(),
            Some(_) => Err(format!("preprocessor.{name}.{key} must be a list of names")),
        }
    };
    let command = match settings.get("command") {
        None => format!("mdbook-{name}"),
        Some(toml::Value::String(c)) if !c.trim().is_empty() => c.clone(),
        Some(_) => return Err(format!("preprocessor.{name}.command must be a command line")),
    };
    let optional = match settings.get("optional") {
        None => false,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => return Err(format!("preprocessor.{name}.optional must be true or false")),
    };
    let renderers = settings.contains_key("renderers").then(|| strings("renderers")).transpose()?;
    Ok(Preprocessor { name: name.to_owned(), command, before: strings("before")?, after: strings("after")?, renderers, optional })
}

/// The preprocessors in an order that keeps every `before` and `after`; ties by name.
/// Names that are not preprocessors here (mdBook's built-in ones) are ignored.
fn ordered(mut all: Vec<Preprocessor>) -> Result<Vec<Preprocessor>, String> {
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<String> = all.iter().map(|p| p.name.clone()).collect();
    let index = |n: &str| names.iter().position(|x| x == n);
    // `first[i]` holds the preprocessors that must run before preprocessor `i`.
    let mut first: Vec<Vec<usize>> = vec![Vec::new(); all.len()];
    for (i, p) in all.iter().enumerate() {
        first[i].extend(p.after.iter().filter_map(|n| index(n)));
        for later in p.before.iter().filter_map(|n| index(n)) {
            first[later].push(i);
        }
    }
    let mut done = vec![false; all.len()];
    let mut order = Vec::with_capacity(all.len());
    while order.len() < all.len() {
        let next = (0..all.len()).find(|&i| !done[i] && first[i].iter().all(|&j| done[j]));
        let Some(i) = next else {
            let left: Vec<&str> = names.iter().zip(&done).filter(|(_, d)| !**d).map(|(n, _)| n.as_str()).collect();
            return Err(format!("the preprocessors {} must each run before the other", left.join(", ")));
        };
        done[i] = true;
        order.push(i);
    }
    let mut slots: Vec<Option<Preprocessor>> = all.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

/// `d` pointed at the `[preprocessor.NAME]` table in `text`, when it can be found.
pub fn at_table(text: &str, name: &str, d: Diagnostic) -> Diagnostic {
    let header = format!("[preprocessor.{name}]");
    match text.find(&header) {
        Some(at) => d.at(text, at..at + header.len()),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Preprocessor>, Vec<Diagnostic>> {
        let table: toml::Table = toml::from_str(text).unwrap();
        preprocessors(text, table.get("preprocessor").and_then(|p| p.as_table()))
    }

    #[test]
    fn commands_orders_and_built_ins() {
        let found = read(
            "[preprocessor.links]\n[preprocessor.zeta]\n[preprocessor.alpha]\nafter = [\"zeta\"]\ncommand = \"python3 x.py\"\n\
             [preprocessor.mid]\nbefore = [\"zeta\", \"links\"]\nrenderers = [\"html\"]\noptional = true\n",
        )
        .unwrap();
        let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["mid", "zeta", "alpha"]);
        assert_eq!(found[1].command, "mdbook-zeta");
        assert_eq!(found[2].command, "python3 x.py");
        assert_eq!(found[0].renderers.as_deref(), Some(&["html".to_owned()][..]));
        assert!(found[0].optional);
    }

    #[test]
    fn wrong_types_and_circles_are_errors() {
        let d = read("[preprocessor.a]\ncommand = 3\n").unwrap_err();
        assert!(d[0].to_string().starts_with("book.toml:1:1: error: preprocessor.a.command must be a command line"), "{}", d[0]);
        let d = read("[preprocessor.a]\nbefore = [\"b\"]\n[preprocessor.b]\nbefore = [\"a\"]\n").unwrap_err();
        assert!(d[0].to_string().contains("the preprocessors a, b must each run before the other"), "{}", d[0]);
    }
}
