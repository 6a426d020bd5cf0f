//! Footnotes as mdBook writes them: a reference is `<sup class="footnote-reference"
//! id="fr-NAME-N"><a href="#footnote-NAME">1</a></sup>`, numbered in the order the notes
//! are first referred to; the definitions move to the end of the chapter, in that order,
//! as `<li id="footnote-NAME">` of an `<ol class="footnote-definition">`, each with a link
//! back (`↩`, `↩2` …) to every reference; a definition nothing refers to is left out.

use std::collections::HashMap;

use pulldown_cmark::Event;

use crate::core::html::{escape_attr, escape_href};
use crate::parse::markdown::Placement;

/// The footnotes of one chapter while its HTML is written.
pub struct Footnotes<'e> {
    /// Each note's number, by name, in the order of first reference.
    numbers: HashMap<String, usize>,
    /// References written so far, by name.
    written: HashMap<String, usize>,
    /// The definition being read: its name and where its events start in the output.
    open: Option<(String, usize)>,
    /// Every definition read: its name and its events.
    definitions: Vec<(String, Vec<Event<'e>>)>,
}

impl<'e> Footnotes<'e> {
    /// Numbers the notes the chapter's `events` refer to.
    pub fn new(events: &[Event<'_>]) -> Self {
        let mut numbers = HashMap::new();
        for event in events {
            if let Event::FootnoteReference(name) = event {
                let next = numbers.len() + 1;
                numbers.entry(name.to_string()).or_insert(next);
            }
        }
        Footnotes { numbers, written: HashMap::new(), open: None, definitions: Vec::new() }
    }

    /// A reference to the note `name`.
    pub fn reference(&mut self, name: &str, placement: &dyn Placement) -> String {
        let count = self.written.entry(name.to_owned()).or_insert(0);
        *count += 1;
        let number = self.numbers.get(name).copied().unwrap_or(0);
        let mut out = String::from("<sup class=\"footnote-reference\" id=\"");
        escape_attr(&mut out, &placement.id(&format!("fr-{name}-{count}")));
        out.push_str("\"><a href=\"#");
        escape_href(&mut out, &placement.id(&format!("footnote-{name}")));
        out.push_str(&format!("\">{number}</a></sup>"));
        out
    }

    /// The definition of `name` starts: its events from `at` in the output are its own.
    pub fn start(&mut self, name: &str, at: usize) {
        self.open = Some((name.to_owned(), at));
    }

    /// The open definition ends: its events are taken out of `out`.
    pub fn end(&mut self, out: &mut Vec<Event<'e>>) {
        if let Some((name, at)) = self.open.take() {
            let events = out.drain(at.min(out.len())..).collect();
            self.definitions.push((name, events));
        }
    }

    /// Appends the definitions that are referred to, in their numbers' order.
    pub fn write_definitions(mut self, html: &mut String, placement: &dyn Placement) {
        self.definitions.retain(|(name, _)| self.numbers.contains_key(name));
        if self.definitions.is_empty() {
            return;
        }
        self.definitions.sort_by_key(|(name, _)| self.numbers[name]);
        html.push_str("<hr>\n<ol class=\"footnote-definition\">");
        for (name, events) in std::mem::take(&mut self.definitions) {
            html.push_str("<li id=\"");
            escape_attr(html, &placement.id(&format!("footnote-{name}")));
            html.push_str("\">");
            let mut body = String::new();
            pulldown_cmark::html::push_html(&mut body, events.into_iter());
            let backlinks = self.backlinks(&name, placement);
            match body.trim_end().strip_suffix("</p>") {
                Some(before) => {
                    html.push_str(before);
                    html.push_str(&backlinks);
                    html.push_str("</p>\n");
                }
                None => {
                    html.push_str(&body);
                    html.push_str(&backlinks);
                }
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n");
    }

    /// ` <a href="#fr-NAME-1">↩</a>`, then `↩2` … for every reference to `name`.
    fn backlinks(&self, name: &str, placement: &dyn Placement) -> String {
        let mut out = String::new();
        for usage in 1..=self.written.get(name).copied().unwrap_or(0) {
            out.push_str(" <a href=\"#");
            escape_href(&mut out, &placement.id(&format!("fr-{name}-{usage}")));
            out.push_str("\">↩");
            if usage > 1 {
                out.push_str(&usage.to_string());
            }
            out.push_str("</a>");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::load::include::Expanded;
    use crate::parse::highlight::StyledScopes;
    use crate::parse::markdown::markdown_to_html;
    use std::path::Path;

    fn html(text: &str) -> String {
        markdown_to_html(&Expanded::plain(Path::new("c.md"), text.into(), 0), &StyledScopes::Everything).unwrap().html
    }

    #[test]
    fn footnotes_are_numbered_moved_to_the_end_and_link_back() {
        let out = html("[^b]: Bee.\n\nOne[^a] two[^b] three[^a].\n\n[^a]: Ay.\n\n[^unused]: Never.\n");
        assert!(out.contains("One<sup class=\"footnote-reference\" id=\"fr-a-1\"><a href=\"#footnote-a\">1</a></sup>"), "{out}");
        assert!(out.contains("two<sup class=\"footnote-reference\" id=\"fr-b-1\"><a href=\"#footnote-b\">2</a></sup>"), "{out}");
        assert!(out.contains("id=\"fr-a-2\"><a href=\"#footnote-a\">1</a>"), "{out}");
        let notes = &out[out.find("<hr>").expect("the notes at the end")..];
        assert_eq!(
            notes,
            "<hr>\n<ol class=\"footnote-definition\"><li id=\"footnote-a\"><p>Ay. <a href=\"#fr-a-1\">↩</a> <a href=\"#fr-a-2\">↩2</a></p>\n</li>\n\
             <li id=\"footnote-b\"><p>Bee. <a href=\"#fr-b-1\">↩</a></p>\n</li>\n</ol>\n"
        );
        assert!(!out.contains("Never"), "{out}");
    }
}
