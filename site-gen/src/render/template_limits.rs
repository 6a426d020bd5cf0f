//! The theme's templates checked before a page is rendered with them: Tera renders by
//! recursion and has no limit of its own, so a template that includes itself, a macro that
//! calls itself (directly or through others), or tags nested hundreds deep would overflow
//! the stack and abort the whole program. Each is a problem in the template instead, at
//! its line:
//!
//! - before a template is parsed, its tags (`{% if %}`, `{% for %}`, `{% block %}`,
//!   `{% macro %}`, `{% filter %}`) and brackets may nest at most [`MAX_NESTING`] deep;
//! - once every template is parsed, includes, `extends` and macro calls may not come back
//!   to where they started, and a page may go at most [`MAX_NESTING`] levels deep through
//!   them all (each tag, include and macro call one level).
//!
//! A recursive macro with a base case is refused too: whether it ends cannot be known
//! before it runs. Real themes nest a dozen levels at most.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::ast::{Expr, ExprVal, Node};
use tera::Tera;

use crate::core::diagnostic::Diagnostic;

/// How deep tags and brackets may nest in a template, and how deep a page may go through
/// tags, includes and macro calls.
pub const MAX_NESTING: usize = 64;

const HELP: &str = "a page is rendered by following includes and macro calls: they must end, \
                    and nest at most 64 levels deep with the template's own tags";

/// The first place where the tags or brackets of `text` (a template) nest more than
/// [`MAX_NESTING`] deep: its byte offset. Read as Tera reads it: `{# … #}` comments and
/// `{% raw %} … {% endraw %}` are text, strings in tags are not brackets.
pub fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut blocks = 0usize;
    let mut i = 0;
    while let Some(found) = text[i..].find('{') {
        let start = i + found;
        let kind = bytes.get(start + 1).copied();
        let close = match kind {
            Some(b'#') => "#}",
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            _ => {
                i = start + 1;
                continue;
            }
        };
        let length = text[start + 2..].find(close)?;
        let end = start + 2 + length;
        let inside = &text[start + 2..end];
        i = end + 2;
        if kind == Some(b'#') {
            continue;
        }
        if let Some(at) = brackets_too_deep(inside) {
            return Some(start + 2 + at);
        }
        if kind != Some(b'%') {
            continue;
        }
        let word = inside.trim_start_matches('-').trim_start().split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("");
        match word {
            "if" | "for" | "block" | "macro" | "filter" => {
                blocks += 1;
                if blocks > MAX_NESTING {
                    return Some(start);
                }
            }
            "endif" | "endfor" | "endblock" | "endmacro" | "endfilter" => blocks = blocks.saturating_sub(1),
            "raw" => {
                // Everything up to `{% endraw %}` is text.
                let rest = &text[i..];
                let endraw = rest.find("endraw")?;
                i += endraw + "endraw".len();
            }
            _ => {}
        }
    }
    None
}

/// Where brackets inside one tag nest too deep, outside strings.
fn brackets_too_deep(tag: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (at, c) in tag.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(at);
                }
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// What a page's rendering goes into: a template, or a macro of a template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Callee {
    Template(String),
    Macro { file: String, name: String },
}

/// One step from a template into another or into a macro: the template it is written in,
/// the text that names what it goes into (to find its line), and where it goes.
#[derive(Debug, Clone)]
struct Step {
    file: String,
    needle: String,
    callee: Callee,
}

/// The problems of `tera`'s templates that would never finish rendering, or go too deep:
/// each at the include or macro call that closes a loop or goes past the limit, in the
/// file of `sources` (template name → file as shown, text).
pub fn endless_templates(tera: &Tera, sources: &std::collections::BTreeMap<String, (PathBuf, String)>) -> Vec<Diagnostic> {
    let mut walk = Walk { tera, depths: HashMap::new(), path: Vec::new(), problems: Vec::new() };
    for name in sources.keys() {
        let root = Callee::Template(name.clone());
        walk.path.push((root.clone(), None));
        walk.depth(&root);
        walk.path.pop();
    }
    walk.problems
        .into_iter()
        .map(|(step, message)| {
            let (shown, text) = sources.get(&step.file).map(|(s, t)| (s.clone(), t.as_str())).unwrap_or_else(|| (PathBuf::from(&step.file), ""));
            let d = Diagnostic::error(shown, message).with_help(HELP);
            match text.find(&step.needle) {
                Some(at) => d.at(text, at..at + step.needle.len()),
                None => d,
            }
        })
        .collect()
}

/// The depth-first walk through templates and macros.
struct Walk<'t> {
    tera: &'t Tera,
    /// How deep each callee goes, with the steps of its deepest path, once known.
    depths: HashMap<Callee, (usize, Vec<Step>)>,
    /// The callees being walked, outermost first, each with the step that led to it.
    path: Vec<(Callee, Option<Step>)>,
    /// Each problem at the step where it is seen.
    problems: Vec<(Step, String)>,
}

impl Walk<'_> {
    /// How deep `callee` goes (it is the last one on the path).
    fn depth(&mut self, callee: &Callee) -> (usize, Vec<Step>) {
        if let Some(known) = self.depths.get(callee) {
            return known.clone();
        }
        let (nodes, file, parent): (&[Node], String, Option<String>) = match callee {
            Callee::Template(name) => match self.tera.get_template(name) {
                Ok(t) => (&t.ast, name.clone(), t.parent.clone()),
                Err(_) => return (0, Vec::new()),
            },
            Callee::Macro { file, name } => match self.tera.get_template(file).ok().and_then(|t| t.macros.get(name)) {
                Some(m) => (&m.body, file.clone(), None),
                None => return (0, Vec::new()),
            },
        };
        let mut deepest = self.nodes(nodes, &file, 0);
        if let Some(parent) = parent {
            let step = Step { file: file.clone(), needle: parent.clone(), callee: Callee::Template(parent) };
            let through = self.follow(step, 0);
            if through.0 > deepest.0 {
                deepest = through;
            }
        }
        self.depths.insert(callee.clone(), deepest.clone());
        deepest
    }

    /// Takes `step` at nesting `level`: the depth reached through it. A step back to a
    /// callee on the path, or past the limit, is a problem (and goes no deeper).
    fn follow(&mut self, step: Step, level: usize) -> (usize, Vec<Step>) {
        if let Some(at) = self.path.iter().position(|(callee, _)| *callee == step.callee) {
            let names: Vec<String> = std::iter::once(name_of(&self.path[at].0))
                .chain(self.path[at + 1..].iter().map(|(callee, _)| name_of(callee)))
                .chain([name_of(&step.callee)])
                .collect();
            self.problems.push((step, format!("this never ends: {}", names.join(" → "))));
            return (0, Vec::new());
        }
        self.path.push((step.callee.clone(), Some(step.clone())));
        let (inner, mut path) = self.depth(&step.callee);
        self.path.pop();
        let depth = level + 1 + inner;
        path.insert(0, step);
        if depth > MAX_NESTING {
            let names: Vec<String> = std::iter::once(path[0].file.clone()).chain(path.iter().map(|s| name_of(&s.callee))).collect();
            let message = format!(
                "a page goes {depth} levels deep through tags, includes and macro calls from here, past the limit of {MAX_NESTING}: {}",
                names.join(" → ")
            );
            self.problems.push((path.swap_remove(0), message));
            return (0, Vec::new());
        }
        (depth, path)
    }

    /// How deep `nodes`, at nesting `level` in `file`, go.
    fn nodes(&mut self, nodes: &[Node], file: &str, level: usize) -> (usize, Vec<Step>) {
        let mut deepest = (level, Vec::new());
        let mut keep = |found: (usize, Vec<Step>)| {
            if found.0 > deepest.0 {
                deepest = found;
            }
        };
        for node in nodes {
            match node {
                Node::Include(_, names, _) => {
                    for name in names {
                        if self.tera.get_template(name).is_ok() {
                            let step = Step { file: file.to_owned(), needle: name.clone(), callee: Callee::Template(name.clone()) };
                            keep(self.follow(step, level));
                        }
                    }
                }
                Node::VariableBlock(_, expr) => keep(self.expr(expr, file, level)),
                Node::Set(_, set) => keep(self.expr(&set.value, file, level)),
                Node::FilterSection(_, section, _) => {
                    for arg in section.filter.args.values() {
                        keep(self.expr(arg, file, level));
                    }
                    keep(self.nodes(&section.body, file, level + 1));
                }
                Node::Block(_, block, _) => keep(self.nodes(&block.body, file, level + 1)),
                Node::Forloop(_, the_loop, _) => {
                    keep(self.expr(&the_loop.container, file, level));
                    keep(self.nodes(&the_loop.body, file, level + 1));
                    if let Some(empty) = &the_loop.empty_body {
                        keep(self.nodes(empty, file, level + 1));
                    }
                }
                Node::If(the_if, _) => {
                    for (_, condition, body) in &the_if.conditions {
                        keep(self.expr(condition, file, level));
                        keep(self.nodes(body, file, level + 1));
                    }
                    if let Some((_, body)) = &the_if.otherwise {
                        keep(self.nodes(body, file, level + 1));
                    }
                }
                // Walked when called.
                Node::MacroDefinition(..) => {}
                _ => {}
            }
        }
        deepest
    }

    /// How deep the macro calls in `expr` go.
    fn expr(&mut self, expr: &Expr, file: &str, level: usize) -> (usize, Vec<Step>) {
        let mut deepest = (level, Vec::new());
        let mut exprs: Vec<&Expr> = vec![expr];
        let mut calls = Vec::new();
        while let Some(e) = exprs.pop() {
            exprs.extend(e.filters.iter().flat_map(|f| f.args.values()));
            let mut values = vec![&e.val];
            while let Some(value) = values.pop() {
                match value {
                    ExprVal::MacroCall(call) => {
                        calls.push(call);
                        exprs.extend(call.args.values());
                    }
                    ExprVal::FunctionCall(f) => exprs.extend(f.args.values()),
                    ExprVal::Math(m) => exprs.extend([&*m.lhs, &*m.rhs]),
                    ExprVal::Logic(l) => exprs.extend([&*l.lhs, &*l.rhs]),
                    ExprVal::In(i) => exprs.extend([&*i.lhs, &*i.rhs]),
                    ExprVal::Test(t) => exprs.extend(&t.args),
                    ExprVal::Array(items) => exprs.extend(items),
                    ExprVal::StringConcat(concat) => values.extend(&concat.values),
                    _ => {}
                }
            }
        }
        for call in calls {
            let Some(target) = self.macro_file(file, &call.namespace) else { continue };
            let step = Step {
                file: file.to_owned(),
                needle: format!("{}::{}", call.namespace, call.name),
                callee: Callee::Macro { file: target, name: call.name.clone() },
            };
            let found = self.follow(step, level);
            if found.0 > deepest.0 {
                deepest = found;
            }
        }
        deepest
    }

    /// The template whose macros `namespace` names in `file`: `self`, or an import.
    fn macro_file(&self, file: &str, namespace: &str) -> Option<String> {
        if namespace == "self" {
            return Some(file.to_owned());
        }
        let template = self.tera.get_template(file).ok()?;
        template.imported_macro_files.iter().find(|(_, ns)| ns == namespace).map(|(f, _)| f.clone())
    }
}

fn name_of(callee: &Callee) -> String {
    match callee {
        Callee::Template(name) => name.clone(),
        Callee::Macro { file, name } => format!("{file}: macro {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn check(templates: &[(&str, &str)]) -> Vec<String> {
        let mut tera = Tera::default();
        let mut sources = BTreeMap::new();
        for (name, text) in templates {
            assert_eq!(too_deep(text), None, "{name}");
            sources.insert(name.to_string(), (PathBuf::from(format!("theme/templates/{name}")), text.to_string()));
        }
        tera.add_raw_templates(templates.to_vec()).unwrap();
        endless_templates(&tera, &sources).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn ordinary_templates_pass() {
        let problems = check(&[
            ("base.html", "{% import \"m.html\" as m %}<body>{% block body %}{% endblock body %}{% include \"footer.html\" %}{{ m::link(to=\"a\") }}</body>"),
            ("page.html", "{% extends \"base.html\" %}{% block body %}{% for x in xs %}{% if x %}{{ x }}{% endif %}{% endfor %}{% endblock body %}"),
            ("footer.html", "<footer>{{ self_name | default(value=\"\") }}</footer>"),
            ("m.html", "{% macro link(to) %}<a href=\"{{ to }}\">{{ self::label(text=to) }}</a>{% endmacro link %}{% macro label(text) %}{{ text }}{% endmacro label %}"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_template_that_includes_itself_is_a_problem_at_the_include() {
        let problems = check(&[("page.html", "<html>\n<body>{% include \"page.html\" %}</body>\n")]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("theme/templates/page.html:2:19: error: this never ends: page.html → page.html"), "{problems:?}");
        let problems = check(&[("page.html", "{% include \"b.html\" %}"), ("b.html", "x\n{% include \"page.html\" %}")]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("theme/templates/page.html:1:13: error: this never ends: b.html → page.html → b.html"), "{problems:?}");
    }

    #[test]
    fn a_macro_that_calls_itself_is_a_problem_at_the_call() {
        let problems = check(&[
            ("page.html", "{% import \"m.html\" as m %}{{ m::rec(n=1) }}"),
            ("m.html", "{% macro rec(n) %}\n{% if n < 3 %}{{ self::rec(n=n+1) }}{% endif %}{% endmacro rec %}"),
        ]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("theme/templates/m.html:2:18: error: this never ends: m.html: macro rec → m.html: macro rec"), "{problems:?}");
        let problems = check(&[
            ("page.html", "{% import \"m.html\" as m %}{{ m::a() }}"),
            ("m.html", "{% macro a() %}{{ self::b() }}{% endmacro a %}{% macro b() %}{{ self::a() | upper }}{% endmacro b %}"),
        ]);
        assert!(!problems.is_empty() && problems[0].contains("macro a → m.html: macro b → m.html: macro a"), "{problems:?}");
    }

    #[test]
    fn a_long_chain_is_a_problem_past_the_limit() {
        let mut templates: Vec<(String, String)> =
            (0..100).map(|i| (format!("t{i}.html"), format!("{{% include \"t{}.html\" %}}", i + 1))).collect();
        templates.push(("t100.html".into(), "end".into()));
        let refs: Vec<(&str, &str)> = templates.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let problems = check(&refs);
        assert!(problems.iter().any(|p| p.contains("past the limit of 64")), "{problems:?}");
    }

    #[test]
    fn nesting_is_measured_before_parsing() {
        let nested = |n: usize| format!("{}x{}", "{% if a %}".repeat(n), "{% endif %}".repeat(n));
        assert_eq!(too_deep(&nested(MAX_NESTING)), None);
        assert_eq!(too_deep(&nested(MAX_NESTING + 1)), Some(MAX_NESTING * "{% if a %}".len()));
        assert_eq!(too_deep(&format!("{{{{ {}1{} }}}}", "(".repeat(65), ")".repeat(65))), Some(3 + 64));
        assert_eq!(too_deep(&format!("{{# {} #}}{{% raw %}}{}{{% endraw %}}{{{{ \"(((\" }}}}", "{% if %}".repeat(99), "{% if a %}".repeat(99))), None);
    }
}
