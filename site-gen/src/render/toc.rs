//! A page's own table of contents: links to its sections (`##`) and subsections (`###`).

use crate::core::html::{escape_href, escape_text};
use crate::parse::markdown::Heading;

/// The levels listed: sections and their subsections.
const LEVELS: std::ops::RangeInclusive<u8> = 2..=3;

/// The fewest headings worth a table of contents.
const MIN_ENTRIES: usize = 2;

/// The table of contents of a page as nested lists of links, or `None` when the page has
/// fewer than two sections and subsections.
pub fn page_toc_html(headings: &[Heading]) -> Option<String> {
    let entries: Vec<&Heading> = headings.iter().filter(|h| LEVELS.contains(&h.level)).collect();
    if entries.len() < MIN_ENTRIES {
        return None;
    }
    let mut out = String::with_capacity(entries.len() * 64);
    out.push_str("<ol>");
    // Whether a subsection list (`<ol>` inside the current item) is open.
    let mut nested = false;
    for (i, heading) in entries.iter().enumerate() {
        let sub = heading.level > *LEVELS.start();
        if i > 0 {
            match (nested, sub) {
                (false, true) => {
                    out.push_str("<ol>");
                    nested = true;
                }
                (true, true) => out.push_str("</li>"),
                (true, false) => {
                    out.push_str("</li></ol></li>");
                    nested = false;
                }
                (false, false) => out.push_str("</li>"),
            }
        }
        out.push_str("<li><a href=\"#");
        escape_href(&mut out, &heading.id);
        out.push_str("\">");
        escape_text(&mut out, &heading.text);
        out.push_str("</a>");
    }
    out.push_str(if nested { "</li></ol></li></ol>" } else { "</li></ol>" });
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading { level, id: id.to_owned(), text: id.to_uppercase() }
    }

    #[test]
    fn sections_hold_their_subsections() {
        let toc = page_toc_html(&[h(1, "t"), h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(4, "deep"), h(2, "c"), h(3, "c1")]).unwrap();
        assert_eq!(
            toc,
            "<ol><li><a href=\"#a\">A</a><ol><li><a href=\"#a1\">A1</a></li><li><a href=\"#a2\">A2</a></li></ol></li>\
             <li><a href=\"#b\">B</a></li><li><a href=\"#c\">C</a><ol><li><a href=\"#c1\">C1</a></li></ol></li></ol>"
        );
    }

    #[test]
    fn a_subsection_before_any_section_still_nests_sensibly() {
        let toc = page_toc_html(&[h(3, "x"), h(2, "a")]).unwrap();
        assert_eq!(toc, "<ol><li><a href=\"#x\">X</a></li><li><a href=\"#a\">A</a></li></ol>");
    }

    #[test]
    fn short_pages_have_none() {
        assert!(page_toc_html(&[h(1, "t"), h(2, "only")]).is_none());
        assert!(page_toc_html(&[h(1, "t"), h(4, "a"), h(5, "b")]).is_none());
        assert!(page_toc_html(&[]).is_none());
    }

    #[test]
    fn text_and_ids_are_escaped() {
        let headings = [
            Heading { level: 2, id: "a\"b".into(), text: "<script>".into() },
            Heading { level: 2, id: "c".into(), text: "x & y".into() },
        ];
        let toc = page_toc_html(&headings).unwrap();
        assert!(toc.contains("&lt;script&gt;") && toc.contains("x &amp; y"), "{toc}");
        assert!(!toc.contains("a\"b"), "{toc}");
    }
}
