//! `SUMMARY.md`: the book's table of contents, in mdBook's format.
//!
//! The grammar, read top to bottom:
//!
//! ```text
//! summary   := title? prefix* (part? list | separator)* suffix*
//! title     := "# " text                 (the first heading only)
//! prefix    := paragraph of links        (unnumbered chapters before the lists)
//! part      := "# " text                 (a part title between numbered lists)
//! list      := "- [Title](file.md)" items, nested by indentation, numbered 1, 1.1, …
//! separator := "---"
//! suffix    := paragraph of links        (unnumbered chapters after the lists)
//! ```
//!
//! A link with an empty target, `[Title]()`, is a draft chapter: listed, but with no page.
//! A link's target is a URL, as in a chapter: `%XX` escapes stand for the characters a file
//! name may have that a link cannot (`with%20space.md`, `hash%23tag.md`; `<with space.md>`
//! works too), and anything after `#` is not part of the file's name. Chapters nest at
//! most [`MAX_DEPTH`] levels deep.
//! Anything else (a list item that is not a link, a prefix chapter after the numbered
//! ones) is an error that names `SUMMARY.md:line:column` and says what would be valid.

use std::path::PathBuf;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::core::diagnostic::{Diagnostic, LineStarts, Position};
use crate::core::html::percent_decode;

/// The file name of the table of contents, inside the source folder.
pub const SUMMARY_FILE: &str = "SUMMARY.md";

/// How deep numbered chapters may nest (`1.1.1…`): far deeper than any table of contents a
/// reader can follow, and shallow enough for every step that walks the chapters' tree.
pub const MAX_DEPTH: usize = 256;

/// The parsed table of contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The optional `# Title` at the top.
    pub title: Option<String>,
    /// Every entry in reading order; numbered chapters nest their sections.
    pub items: Vec<SummaryItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryItem {
    Chapter(ChapterLink),
    Separator,
    PartTitle(String),
}

/// One `[Title](file.md)` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterLink {
    pub title: String,
    /// The Markdown file, relative to the source folder; `None` for a draft chapter.
    pub location: Option<PathBuf>,
    /// Section number (`[1, 2]` is "1.2."), `None` for prefix and suffix chapters.
    pub number: Option<Vec<u32>>,
    pub nested: Vec<SummaryItem>,
    /// Where the link is written in SUMMARY.md.
    pub position: Position,
}

/// Where in the book the parser is, which decides what may come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Prefix,
    Numbered,
    Suffix,
}

/// Parses the text of SUMMARY.md. `file` is the path shown in messages.
pub fn parse_summary(file: &std::path::Path, text: &str) -> Result<Summary, Diagnostic> {
    SummaryParser { file, text, lines: LineStarts::new(text), events: Parser::new(text).into_offset_iter().peekable() }.parse()
}

const UNEXPECTED_HELP: &str = "SUMMARY.md holds a `# Title`, chapter links `[Title](file.md)` \
     (as `- ` list items for numbered chapters), `# Part` titles and `---` separators";

struct SummaryParser<'a> {
    file: &'a std::path::Path,
    text: &'a str,
    lines: LineStarts<'a>,
    events: std::iter::Peekable<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>,
}

impl<'a> SummaryParser<'a> {
    fn parse(mut self) -> Result<Summary, Diagnostic> {
        let mut summary = Summary::default();
        let mut stage = Stage::Prefix;
        let mut counter = 0u32;
        let mut first = true;
        while let Some((event, span)) = self.events.next() {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let title = self.text_until(TagEnd::Heading(level))?;
                    if first && level == HeadingLevel::H1 && summary.title.is_none() {
                        summary.title = Some(title);
                    } else {
                        let message = "a part title cannot come after the suffix chapters";
                        if let Some(d) = self.after_suffix(stage, span.start, message, "move the unnumbered chapters after the last list") {
                            return Err(d);
                        }
                        stage = Stage::Numbered;
                        summary.items.push(SummaryItem::PartTitle(title));
                    }
                }
                Event::Start(Tag::Paragraph) => {
                    if stage == Stage::Numbered {
                        stage = Stage::Suffix;
                    }
                    let links = self.paragraph_links()?;
                    summary.items.extend(links.into_iter().map(SummaryItem::Chapter));
                }
                Event::Start(Tag::List(_)) => {
                    let message = "numbered chapters cannot come after the suffix chapters";
                    let help = "unnumbered chapters go before the first list or after the last one";
                    if let Some(d) = self.after_suffix(stage, span.start, message, help) {
                        return Err(d);
                    }
                    stage = Stage::Numbered;
                    let items = self.list_items(&[], &mut counter)?;
                    summary.items.extend(items);
                }
                Event::Rule => summary.items.push(SummaryItem::Separator),
                Event::SoftBreak | Event::HardBreak => {}
                Event::Start(Tag::HtmlBlock) => {
                    match self.not_a_comment(span.start) {
                        Some(d) => return Err(d),
                        None => continue,
                    }
                }
                _ => return Err(self.error(span.start, "unexpected content in SUMMARY.md", UNEXPECTED_HELP)),
            }
            first = false;
        }
        Ok(summary)
    }

    /// The problem at `offset` when the suffix chapters have begun (`stage`): what is
    /// there belongs before them.
    fn after_suffix(&self, stage: Stage, offset: usize, message: &str, help: &str) -> Option<Diagnostic> {
        (stage == Stage::Suffix).then(|| self.error(offset, message, help))
    }

    /// An HTML block whose `Start` event has been taken, up to its end: only a comment
    /// may be there; the problem when something else is.
    fn not_a_comment(&mut self, offset: usize) -> Option<Diagnostic> {
        let mut html = String::new();
        for (inner, _) in self.events.by_ref() {
            match inner {
                Event::End(TagEnd::HtmlBlock) => break,
                Event::Html(t) => html.push_str(&t),
                _ => {}
            }
        }
        (!html.trim_start().starts_with("<!--")).then(|| {
            self.error(
                offset,
                "HTML is not allowed in SUMMARY.md",
                "only comments (`<!-- … -->`) may appear besides chapter links and titles",
            )
        })
    }

    /// Plain text of the events up to `end` (inline formatting is dropped).
    fn text_until(&mut self, end: TagEnd) -> Result<String, Diagnostic> {
        let mut out = String::new();
        for (event, _) in self.events.by_ref() {
            match event {
                Event::End(e) if e == end => break,
                // Inline HTML in a title is kept as the text the author wrote.
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak => out.push(' '),
                _ => {}
            }
        }
        Ok(out.trim().to_owned())
    }

    /// The links of a prefix/suffix paragraph; any other text is an error.
    fn paragraph_links(&mut self) -> Result<Vec<ChapterLink>, Diagnostic> {
        let mut links = Vec::new();
        while let Some((event, span)) = self.events.next() {
            match event {
                Event::End(TagEnd::Paragraph) => return Ok(links),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    links.push(self.link(span.start, &dest_url, None)?);
                }
                Event::SoftBreak | Event::HardBreak => {}
                Event::Text(t) if t.trim().is_empty() => {}
                _ => {
                    return Err(self.error(
                        span.start,
                        "expected a chapter link here",
                        "write unnumbered chapters as `[Title](file.md)`, one per line",
                    ))
                }
            }
        }
        Ok(links)
    }

    /// Reads a link whose `Start` event has been taken, up to its end.
    fn link(&mut self, start: usize, dest: &str, number: Option<Vec<u32>>) -> Result<ChapterLink, Diagnostic> {
        let title = self.text_until(TagEnd::Link)?;
        if title.is_empty() {
            return Err(self.error(start, "a chapter link needs a title", "write `[Title](file.md)`"));
        }
        let dest = dest.trim();
        let location = if dest.is_empty() {
            None
        } else if dest.contains("://") || dest.starts_with('/') || dest.starts_with('#') {
            return Err(self.error(
                start,
                &format!("chapter `{title}` links to `{dest}`, which is not a file of the book"),
                "link to a Markdown file relative to SUMMARY.md, such as `intro.md`",
            ));
        } else {
            let file = percent_decode(dest.split('#').next().unwrap_or(dest));
            if file.is_empty() || file.contains('\0') {
                return Err(self.error(
                    start,
                    &format!("chapter `{title}` links to `{dest}`, which is not a file name"),
                    "link to a Markdown file relative to SUMMARY.md, such as `intro.md`",
                ));
            }
            Some(PathBuf::from(file))
        };
        Ok(ChapterLink { title, location, number, nested: Vec::new(), position: self.lines.position(start) })
    }

    /// Reads list items up to the end of the current list, numbering them below `parent`.
    fn list_items(&mut self, parent: &[u32], counter: &mut u32) -> Result<Vec<SummaryItem>, Diagnostic> {
        let mut items = Vec::new();
        let mut local = 0u32;
        while let Some((event, span)) = self.events.next() {
            match event {
                Event::End(TagEnd::List(_)) => return Ok(items),
                Event::Start(Tag::Item) => {
                    let number = if parent.is_empty() {
                        *counter += 1;
                        vec![*counter]
                    } else {
                        local += 1;
                        let mut n = parent.to_vec();
                        n.push(local);
                        n
                    };
                    items.push(SummaryItem::Chapter(self.list_item(span.start, number)?));
                }
                _ => {}
            }
        }
        Ok(items)
    }

    /// Reads one `- [Title](file.md)` item and its nested list, if any.
    fn list_item(&mut self, start: usize, number: Vec<u32>) -> Result<ChapterLink, Diagnostic> {
        let mut chapter: Option<ChapterLink> = None;
        while let Some((event, span)) = self.events.next() {
            match event {
                Event::End(TagEnd::Item) => break,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                Event::SoftBreak | Event::HardBreak => {}
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Start(Tag::Link { dest_url, .. }) if chapter.is_none() => {
                    chapter = Some(self.link(span.start, &dest_url, Some(number.clone()))?);
                }
                Event::Start(Tag::List(_)) => {
                    let Some(parent) = chapter.as_mut() else {
                        return Err(self.not_a_link(start));
                    };
                    if number.len() >= MAX_DEPTH {
                        return Err(self.error(
                            span.start,
                            &format!("chapters are nested more than {MAX_DEPTH} levels deep here"),
                            "nest fewer levels: give the deepest ones a chapter of their own",
                        ));
                    }
                    let mut unused = 0;
                    parent.nested = self.list_items(&number, &mut unused)?;
                }
                _ => return Err(self.not_a_link(span.start)),
            }
        }
        chapter.ok_or_else(|| self.not_a_link(start))
    }

    fn not_a_link(&self, offset: usize) -> Diagnostic {
        self.error(
            offset,
            "expected a chapter link in this list item",
            "write numbered chapters as `- [Title](file.md)`, or `- [Title]()` for a draft",
        )
    }

    fn error(&self, offset: usize, message: &str, help: &str) -> Diagnostic {
        let end = self.text[offset..].find('\n').map_or(self.text.len(), |i| offset + i);
        Diagnostic::error(self.file, message).at(self.text, offset..end).with_help(help)
    }
}

impl Summary {
    /// Every chapter link in reading order, depth first.
    pub fn chapters(&self) -> Vec<&ChapterLink> {
        fn walk<'s>(items: &'s [SummaryItem], out: &mut Vec<&'s ChapterLink>) {
            for item in items {
                if let SummaryItem::Chapter(c) = item {
                    out.push(c);
                    walk(&c.nested, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Result<Summary, Diagnostic> {
        parse_summary(Path::new("content/SUMMARY.md"), text)
    }

    fn titles_and_numbers(s: &Summary) -> Vec<(String, Option<Vec<u32>>, Option<PathBuf>)> {
        s.chapters().into_iter().map(|c| (c.title.clone(), c.number.clone(), c.location.clone())).collect()
    }

    #[test]
    fn prefix_numbered_nested_and_suffix() {
        let s = parse(
            "# Summary\n\n[Intro](intro.md)\n\n- [One](one.md)\n    - [One A](one/a.md)\n    - [One B](one/b.md)\n- [Two](two.md)\n\n[Appendix](appendix.md)\n",
        )
        .unwrap();
        assert_eq!(s.title.as_deref(), Some("Summary"));
        let got = titles_and_numbers(&s);
        let want = vec![
            ("Intro".into(), None, Some("intro.md".into())),
            ("One".into(), Some(vec![1]), Some("one.md".into())),
            ("One A".into(), Some(vec![1, 1]), Some("one/a.md".into())),
            ("One B".into(), Some(vec![1, 2]), Some("one/b.md".into())),
            ("Two".into(), Some(vec![2]), Some("two.md".into())),
            ("Appendix".into(), None, Some("appendix.md".into())),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn parts_separators_and_drafts() {
        let s = parse("# Summary\n\n- [A](a.md)\n\n---\n\n# Part two\n\n- [B](b.md)\n- [Later]()\n").unwrap();
        assert!(matches!(s.items[1], SummaryItem::Separator));
        assert_eq!(s.items[2], SummaryItem::PartTitle("Part two".into()));
        let got = titles_and_numbers(&s);
        assert_eq!(got[1], ("B".into(), Some(vec![2]), Some("b.md".into())));
        assert_eq!(got[2], ("Later".into(), Some(vec![3]), None));
    }

    #[test]
    fn links_remember_their_line_and_column() {
        let s = parse("# Summary\n\n- [A](a.md)\n  - [B](b.md)\n").unwrap();
        let c = s.chapters();
        assert_eq!(c[0].position, Position { line: 3, column: 3 });
        assert_eq!(c[1].position, Position { line: 4, column: 5 });
    }

    #[test]
    fn a_list_item_that_is_not_a_link_is_an_error_at_its_line() {
        let e = parse("# Summary\n\n- [A](a.md)\n- just words\n").unwrap_err();
        let line = e.to_string();
        assert!(line.starts_with("content/SUMMARY.md:4:"), "{line}");
        assert!(line.contains("expected a chapter link"), "{line}");
    }

    #[test]
    fn prose_in_the_prefix_is_an_error() {
        let e = parse("# Summary\n\nSome words here.\n").unwrap_err();
        assert!(e.to_string().starts_with("content/SUMMARY.md:3:1:"), "{e}");
    }

    #[test]
    fn numbered_after_suffix_is_an_error() {
        let e = parse("- [A](a.md)\n\n[S](s.md)\n\n- [B](b.md)\n").unwrap_err();
        assert!(e.to_string().starts_with("content/SUMMARY.md:5:1:"), "{e}");
        assert!(e.to_string().contains("after the suffix"), "{e}");
    }

    #[test]
    fn external_links_are_refused() {
        let e = parse("- [A](https://example.com/a.md)\n").unwrap_err();
        assert!(e.to_string().contains("not a file of the book"), "{e}");
    }

    #[test]
    fn titles_keep_inline_code_as_text() {
        let s = parse("- [The `await` keyword](await.md)\n").unwrap();
        assert_eq!(s.chapters()[0].title, "The await keyword");
    }

    #[test]
    fn targets_are_addresses() {
        let s = parse("- [S](<with space.md>)\n- [T](with%20space/t%C3%BC.md)\n- [H](hash%23tag.md#part)\n- [Q](what%3F.md)\n- [P](100%25.md)\n").unwrap();
        let files: Vec<PathBuf> = s.chapters().iter().map(|c| c.location.clone().unwrap()).collect();
        assert_eq!(files, ["with space.md", "with space/tü.md", "hash#tag.md", "what?.md", "100%.md"].map(PathBuf::from));
        let e = parse("- [N](a%00.md)\n").unwrap_err();
        assert!(e.to_string().starts_with("content/SUMMARY.md:1:3: error: chapter `N` links to `a%00.md`, which is not a file name"), "{e}");
    }

    #[test]
    fn nesting_is_bounded() {
        let nested = |levels: usize| (0..levels).map(|i| format!("{}- [C{i}](c{i}.md)\n", "  ".repeat(i))).collect::<String>();
        let s = parse(&nested(MAX_DEPTH)).unwrap();
        assert_eq!(s.chapters().last().unwrap().number.as_ref().unwrap().len(), MAX_DEPTH);
        let e = parse(&nested(5000)).unwrap_err();
        assert!(e.to_string().starts_with(&format!("content/SUMMARY.md:{}:", MAX_DEPTH + 1)), "{e}");
        assert!(e.to_string().contains("nested more than 256 levels"), "{e}");
    }

    #[test]
    fn comments_are_ignored() {
        let s = parse("# Summary\n\n<!-- hidden -->\n\n- [A](a.md)\n").unwrap();
        assert_eq!(s.chapters().len(), 1);
    }
}
