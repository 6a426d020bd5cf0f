//! The plain text of a chapter, section by section, taken from the Markdown events while
//! the chapter is rendered (so nothing is parsed twice). A section runs from one heading
//! to the next; text before the first heading is a section of its own.

use pulldown_cmark::{Event, Tag, TagEnd};

/// The text of one section: what search looks in and quotes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SectionText {
    /// The index of the section's heading in the chapter's headings; `None` for the text
    /// before the first heading.
    pub heading: Option<usize>,
    /// The section's text without its heading, whitespace collapsed to single spaces.
    pub text: String,
}

/// Splits the chapter's events into sections of plain text. Raw HTML (and so the demo
/// containers) is left out; code is kept, since readers search for names in it.
pub fn section_texts(events: &[Event<'_>]) -> Vec<SectionText> {
    let mut sections = vec![SectionText::default()];
    let mut headings = 0;
    let mut in_heading = false;
    for event in events {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                sections.push(SectionText { heading: Some(headings), text: String::new() });
                headings += 1;
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            _ if in_heading => {}
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                push_text(&mut sections.last_mut().expect("one section at least").text, t);
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule | Event::End(_) => {
                push_text(&mut sections.last_mut().expect("one section at least").text, " ");
            }
            _ => {}
        }
    }
    for s in &mut sections {
        let trimmed = s.text.trim_end().len();
        s.text.truncate(trimmed);
    }
    if sections.len() > 1 && sections[0].text.is_empty() {
        sections.remove(0);
    }
    sections
}

/// Appends `piece`, collapsing whitespace (also across pieces) to single spaces.
fn push_text(out: &mut String, piece: &str) {
    for c in piece.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn sections(markdown: &str) -> Vec<SectionText> {
        let events: Vec<Event<'_>> = Parser::new_ext(markdown, crate::parse::markdown::MarkdownOptions::default().extensions()).collect();
        section_texts(&events)
    }

    #[test]
    fn splits_at_headings_and_leaves_headings_out() {
        let s = sections("# Threads\n\nA *thread* runs\ncode.\n\n## The `GIL`\n\n- one\n- two\n\n```rust\nspawn(f);\n```\n");
        assert_eq!(s, [
            SectionText { heading: Some(0), text: "A thread runs code.".into() },
            SectionText { heading: Some(1), text: "one two spawn(f);".into() },
        ]);
    }

    #[test]
    fn text_before_the_first_heading_is_a_section() {
        let s = sections("Intro text.\n\n## Later\n\nMore.");
        assert_eq!(s[0], SectionText { heading: None, text: "Intro text.".into() });
        assert_eq!(s[1].heading, Some(0));
        assert_eq!(sections("").len(), 1, "an empty chapter still has one (empty) section");
    }

    #[test]
    fn raw_html_is_left_out_but_its_text_kept() {
        let s = sections("Some <b>raw HTML</b> here.\n\n<figure class=\"demo\" data-demo=\"x\"></figure>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(s[0].text, "Some raw HTML here. a b 1 2");
    }
}
