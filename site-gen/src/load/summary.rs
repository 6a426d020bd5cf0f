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
//! What mdBook's parser accepts is accepted: HTML comments anywhere, text after a list
//! item's link, prose around the unnumbered chapters' links, other headings (these are
//! left out of the table of contents, with a warning when they are more than a comment).
//! What mdBook refuses is an error that names `SUMMARY.md:line:column` and says what
//! would be valid: a list item that does not start with a link, a list after the suffix
//! chapters.
//! A link's target is a URL, as in a chapter: `%XX` escapes stand for the characters a file
//! name may have that a link cannot (`with%20space.md`, `hash%23tag.md`; `<with space.md>`
//! works too), and anything after `#` is not part of the file's name. Chapters nest at
//! most [`MAX_DEPTH`] levels deep.

use std::path::{Component, PathBuf};

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
    /// The Markdown file, relative to the source folder (`./` parts dropped, `%20` read as
    /// a space, as mdBook does); `None` for a draft chapter.
    pub location: Option<PathBuf>,
    /// Section number (`[1, 2]` is "1.2."), `None` for prefix and suffix chapters.
    pub number: Option<Vec<u32>>,
    pub nested: Vec<SummaryItem>,
    /// Where the link is written in SUMMARY.md.
    pub position: Position,
}

/// Parses the text of SUMMARY.md. `file` is the path shown in messages.
pub fn parse_summary(file: &std::path::Path, text: &str) -> Result<Summary, Diagnostic> {
    parse_summary_with_warnings(file, text).map(|(summary, _)| summary).map_err(|d| *d)
}

/// Parses the text of SUMMARY.md, with warnings about what it holds that is left out of
/// the table of contents.
pub fn parse_summary_with_warnings(file: &std::path::Path, text: &str) -> Parsed<(Summary, Vec<Diagnostic>)> {
    let mut parser = SummaryParser {
        file,
        text,
        lines: LineStarts::new(text),
        events: Parser::new(text).into_offset_iter(),
        back: None,
        offset: 0,
        warnings: Vec::new(),
    };
    let summary = parser.parse()?;
    Ok((summary, parser.warnings))
}

/// A step of the parser: the problem, when there is one, boxed (it is rare and large).
type Parsed<T> = Result<T, Box<Diagnostic>>;

type OffsetEvents<'a> = pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>;

struct SummaryParser<'a> {
    file: &'a std::path::Path,
    text: &'a str,
    lines: LineStarts<'a>,
    events: OffsetEvents<'a>,
    /// An event read one too far, to be read again.
    back: Option<(Event<'a>, usize)>,
    /// Where the last event read starts.
    offset: usize,
    warnings: Vec<Diagnostic>,
}

impl<'a> SummaryParser<'a> {
    fn parse(&mut self) -> Parsed<Summary> {
        let title = self.title();
        let mut items = self.affix(true)?;
        let mut counter = 0u32;
        self.parts(&mut items, &mut counter)?;
        items.extend(self.affix(false)?);
        Ok(Summary { title, items })
    }

    fn next(&mut self) -> Option<Event<'a>> {
        let (event, offset) = self.back.take().or_else(|| self.events.next().map(|(e, span)| (e, span.start)))?;
        self.offset = offset;
        Some(event)
    }

    fn put_back(&mut self, event: Event<'a>) {
        self.back = Some((event, self.offset));
    }

    /// The `# Title` at the top, after any comments.
    fn title(&mut self) -> Option<String> {
        loop {
            match self.next()? {
                Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => return Some(self.text_until(TagEnd::Heading(HeadingLevel::H1))),
                Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
                other => {
                    self.put_back(other);
                    return None;
                }
            }
        }
    }

    /// The unnumbered chapters before (`prefix`) or after the lists: every link, whatever
    /// surrounds it.
    fn affix(&mut self, prefix: bool) -> Parsed<Vec<SummaryItem>> {
        let mut items = Vec::new();
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::List(_)) | Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) if prefix => {
                    self.put_back(event);
                    break;
                }
                Event::Start(Tag::List(_)) | Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => {
                    return Err(self.error(
                        self.offset,
                        "numbered chapters and part titles cannot come after the suffix chapters",
                        "unnumbered chapters go before the first list or after the last one",
                    ))
                }
                Event::Start(Tag::Link { dest_url, .. }) => items.push(SummaryItem::Chapter(self.link(self.offset, &dest_url, None)?)),
                Event::Rule => items.push(SummaryItem::Separator),
                Event::Text(t) if !t.trim().is_empty() => self.ignored(self.offset, "text that is not a chapter link"),
                Event::Start(Tag::Heading { .. }) => self.ignored(self.offset, "a heading below `#`"),
                Event::Html(html) => self.ignored_html(&html),
                _ => {}
            }
        }
        Ok(items)
    }

    /// The numbered chapters, in parts: `# Part` titles, lists and separators, up to the
    /// suffix chapters' first paragraph.
    fn parts(&mut self, items: &mut Vec<SummaryItem>, counter: &mut u32) -> Parsed<()> {
        loop {
            match self.next() {
                Some(event @ Event::Start(Tag::Paragraph)) => {
                    self.put_back(event);
                    return Ok(());
                }
                Some(Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })) => {
                    let title = self.text_until(TagEnd::Heading(HeadingLevel::H1));
                    items.push(SummaryItem::PartTitle(title));
                }
                Some(event) => self.put_back(event),
                None => return Ok(()),
            }
            self.numbered(items, counter)?;
        }
    }

    /// The lists and separators of one part.
    fn numbered(&mut self, items: &mut Vec<SummaryItem>, counter: &mut u32) -> Parsed<()> {
        let mut first = true;
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::Paragraph) if first => {
                    self.ignored(self.offset, "a paragraph right after a part title");
                    self.skip_until(TagEnd::Paragraph);
                }
                event @ (Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })) => {
                    self.put_back(event);
                    return Ok(());
                }
                Event::Start(Tag::List(_)) => items.extend(self.list_items(&[], counter)?),
                Event::Start(Tag::HtmlBlock) => self.skip_html_block(),
                Event::Start(tag) => {
                    self.ignored(self.offset, "this block, which is not a list of chapter links");
                    self.skip_until(TagEnd::from(tag));
                }
                Event::Rule => items.push(SummaryItem::Separator),
                _ => {}
            }
            first = false;
        }
        Ok(())
    }

    /// An HTML block whose `Start` was read, to its end: a warning unless it is a comment.
    fn skip_html_block(&mut self) {
        let offset = self.offset;
        let mut html = String::new();
        while let Some(event) = self.next() {
            match event {
                Event::End(TagEnd::HtmlBlock) => break,
                Event::Html(t) => html.push_str(&t),
                _ => {}
            }
        }
        if !is_comment(&html) {
            self.ignored(offset, "HTML");
        }
    }

    fn ignored_html(&mut self, html: &str) {
        if !is_comment(html) {
            self.ignored(self.offset, "HTML");
        }
    }

    /// Skips the events up to `end`.
    fn skip_until(&mut self, end: TagEnd) {
        while let Some(event) = self.next() {
            if event == Event::End(end) {
                break;
            }
        }
    }

    /// A warning: `what`, at `offset`, is left out of the table of contents.
    fn ignored(&mut self, offset: usize, what: &str) {
        let end = self.text[offset..].find('\n').map_or(self.text.len(), |i| offset + i);
        let d = Diagnostic::warning(self.file, format!("{what} in SUMMARY.md is left out of the table of contents"))
            .at(self.text, offset..end)
            .with_help(UNEXPECTED_HELP);
        self.warnings.push(d);
    }

    /// Plain text of the events up to `end` (inline formatting is dropped).
    fn text_until(&mut self, end: TagEnd) -> String {
        let mut out = String::new();
        while let Some(event) = self.next() {
            match event {
                Event::End(e) if e == end => break,
                // Inline HTML in a title is kept as the text the author wrote.
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak => out.push(' '),
                _ => {}
            }
        }
        out.trim().to_owned()
    }

    /// Reads a link whose `Start` event has been taken, up to its end.
    fn link(&mut self, start: usize, dest: &str, number: Option<Vec<u32>>) -> Parsed<ChapterLink> {
        let title = self.text_until(TagEnd::Link);
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
            Some(chapter_location(&file))
        };
        Ok(ChapterLink { title, location, number, nested: Vec::new(), position: self.lines.position(start) })
    }

    /// Reads list items up to the end of the current list, numbering them below `parent`
    /// (at the top level, on from `counter`).
    fn list_items(&mut self, parent: &[u32], counter: &mut u32) -> Parsed<Vec<SummaryItem>> {
        let mut items: Vec<SummaryItem> = Vec::new();
        let mut local = 0u32;
        while let Some(event) = self.next() {
            match event {
                Event::End(TagEnd::List(_)) => break,
                Event::Start(Tag::Item) => {
                    let number = if parent.is_empty() {
                        *counter += 1;
                        vec![*counter]
                    } else {
                        local += 1;
                        [parent, &[local]].concat()
                    };
                    items.push(SummaryItem::Chapter(self.list_item(number)?));
                }
                Event::Start(Tag::List(_)) => {
                    let Some(SummaryItem::Chapter(last)) = items.last_mut() else {
                        return Err(self.not_a_link(self.offset));
                    };
                    let number = last.number.clone().unwrap_or_default();
                    if number.len() >= MAX_DEPTH {
                        return Err(self.error(
                            self.offset,
                            &format!("chapters are nested more than {MAX_DEPTH} levels deep here"),
                            "nest fewer levels: give the deepest ones a chapter of their own",
                        ));
                    }
                    let mut unused = 0;
                    last.nested = self.list_items(&number, &mut unused)?;
                }
                Event::Text(t) if !t.trim().is_empty() => self.ignored(self.offset, "text after a chapter link"),
                Event::Html(html) | Event::InlineHtml(html) => self.ignored_html(&html),
                _ => {}
            }
        }
        Ok(items)
    }

    /// The link that starts a list item (its `Start` event read); what follows the link
    /// in the item is read by [`Self::list_items`].
    fn list_item(&mut self, number: Vec<u32>) -> Parsed<ChapterLink> {
        loop {
            match self.next() {
                Some(Event::Start(Tag::Paragraph)) => {}
                Some(Event::Start(Tag::Link { dest_url, .. })) => return self.link(self.offset, &dest_url, Some(number)),
                _ => return Err(self.not_a_link(self.offset)),
            }
        }
    }

    fn not_a_link(&self, offset: usize) -> Box<Diagnostic> {
        self.error(
            offset,
            "expected a chapter link in this list item",
            "write numbered chapters as `- [Title](file.md)`, or `- [Title]()` for a draft",
        )
    }

    fn error(&self, offset: usize, message: &str, help: &str) -> Box<Diagnostic> {
        let offset = offset.min(self.text.len());
        let end = self.text[offset..].find('\n').map_or(self.text.len(), |i| offset + i);
        Box::new(Diagnostic::error(self.file, message).at(self.text, offset..end).with_help(help))
    }
}

const UNEXPECTED_HELP: &str = "SUMMARY.md holds a `# Title`, chapter links `[Title](file.md)` \
     (as `- ` list items for numbered chapters), `# Part` titles and `---` separators";

fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.is_empty() || (html.starts_with("<!--") && html.ends_with("-->"))
}

/// A chapter link's file (decoded, its `#fragment` left out) as a path in the source
/// folder: `./` parts dropped.
fn chapter_location(file: &str) -> PathBuf {
    PathBuf::from(file).components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

impl Summary {
    /// Takes every chapter's number away (`[output.html] no-section-label`).
    pub fn drop_numbers(&mut self) {
        fn walk(items: &mut [SummaryItem]) {
            for item in items {
                if let SummaryItem::Chapter(c) = item {
                    c.number = None;
                    walk(&mut c.nested);
                }
            }
        }
        walk(&mut self.items);
    }

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

    fn warnings(text: &str) -> Vec<String> {
        let (_, warnings) = parse_summary_with_warnings(Path::new("content/SUMMARY.md"), text).unwrap();
        warnings.iter().map(|w| w.to_string().split(" (help").next().unwrap_or_default().to_owned()).collect()
    }

    #[test]
    fn prose_in_the_prefix_is_left_out_with_a_warning() {
        let w = warnings("# Summary\n\nSome words here.\n\n[A](a.md)\n");
        assert_eq!(w, ["content/SUMMARY.md:3:1: warning: text that is not a chapter link in SUMMARY.md is left out of the table of contents"]);
    }

    #[test]
    fn what_mdbook_accepts_in_lists_is_accepted() {
        let text = "# Summary\n\n- [A](./a.md) (old)\n<!-- TODO: more -->\n- [B](./dir/b%20c.md)\n  <!-- nested comment -->\n  - [C](dir/./c.md)\n\n## Not a part\n\n- [D](d.md)\n";
        let s = parse(text).unwrap();
        let got = titles_and_numbers(&s);
        assert_eq!(got[0], ("A".into(), Some(vec![1]), Some("a.md".into())));
        assert_eq!(got[1], ("B".into(), Some(vec![2]), Some("dir/b c.md".into())));
        assert_eq!(got[2], ("C".into(), Some(vec![2, 1]), Some("dir/c.md".into())));
        assert_eq!(got[3], ("D".into(), Some(vec![3]), Some("d.md".into())));
        let w = warnings(text);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].starts_with("content/SUMMARY.md:3:14: warning: text after a chapter link"), "{w:?}");
        assert!(w[1].starts_with("content/SUMMARY.md:9:1: warning: this block"), "{w:?}");
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
