//! One chapter's Markdown to HTML: CommonMark plus tables, footnotes, strikethrough,
//! task lists and heading ids, with `demo` blocks turned into demo containers and links
//! to other chapters' `.md` files pointed at their pages.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::demo_block::{parse_demo_block, DEMO_INFO};
use crate::diagnostic::Diagnostic;
use crate::include::Expanded;

/// A heading of the chapter, for the page's table of contents and for links to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The HTML of one chapter and what was learned while rendering it.
#[derive(Debug, Clone, Default)]
pub struct RenderedMarkdown {
    pub html: String,
    pub headings: Vec<Heading>,
    /// The chapter's plain text, section by section, for search.
    pub sections: Vec<crate::search::SectionText>,
    /// The names of the demos embedded on the page, in order.
    pub demos: Vec<&'static str>,
    /// The page title set by `{{#title …}}`, if any.
    pub title: Option<String>,
}

/// The Markdown extensions every chapter is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a chapter's Markdown (directives already expanded). Problems in demo blocks
/// are returned all together, each at the file, line and column it came from.
pub fn render_markdown(chapter: &Expanded) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
    let text = chapter.text.as_str();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut problems = Vec::new();
    let mut demos = Vec::new();
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();

    while let Some((event, span)) = parser.next() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_demo_info(&info) => {
                // Collect the body together with where each piece sits in the file, so a
                // problem inside the block can be pointed at its real line and column.
                let mut body = String::new();
                let mut pieces: Vec<(usize, Range<usize>)> = Vec::new();
                for (inner, inner_span) in parser.by_ref() {
                    match inner {
                        Event::Text(t) => {
                            pieces.push((body.len(), inner_span));
                            body.push_str(&t);
                        }
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                match parse_demo_block(&body) {
                    Ok(block) => {
                        demos.push(block.spec.name);
                        events.push(Event::Html(CowStr::from(demo_html(&block))));
                    }
                    Err(found) => {
                        for p in found {
                            let start = to_source(&pieces, p.span.start, span.start);
                            let end = to_source(&pieces, p.span.end, start).max(start);
                            problems.push(chapter.diagnostic(start..end, p.message).with_help(p.help));
                        }
                    }
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                events.push(Event::Start(Tag::Link { link_type, dest_url: chapter_link(dest_url), title, id }));
            }
            other => events.push(other),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let headings = assign_heading_ids(&mut events);
    let sections = crate::search::section_texts(&events);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(RenderedMarkdown { html, headings, demos, title: None, sections })
}

fn is_demo_info(info: &str) -> bool {
    info.split(|c: char| c.is_whitespace() || c == ',').next() == Some(DEMO_INFO)
}

/// Maps an offset in a demo block's body back to an offset in the chapter's file.
fn to_source(pieces: &[(usize, Range<usize>)], offset: usize, fallback: usize) -> usize {
    pieces
        .iter()
        .rev()
        .find(|(body_start, _)| *body_start <= offset)
        .map(|(body_start, source)| (source.start + (offset - body_start)).min(source.end))
        .unwrap_or(fallback)
}

/// The container the page's demo runtime fills in (see `theme/static/demos/runner.js`).
fn demo_html(block: &crate::demo_block::DemoBlock) -> String {
    let params = serde_json::Value::Object(block.params.clone()).to_string();
    let mut out = String::new();
    out.push_str("<figure class=\"demo\" data-demo=\"");
    escape_attr(&mut out, block.spec.name);
    out.push_str("\" data-status=\"idle\" data-params=\"");
    escape_attr(&mut out, &params);
    out.push_str("\">\n<figcaption>");
    escape_text(&mut out, block.spec.title);
    out.push_str("</figcaption>\n<noscript>This demo runs in your browser and needs JavaScript.</noscript>\n</figure>\n");
    out
}

/// Points links at other chapters (`intro.md`, `../a/b.md#part`) at their pages.
fn chapter_link(dest: CowStr<'_>) -> CowStr<'_> {
    let is_external = dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('#');
    if is_external {
        return dest;
    }
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (&dest[..], ""),
    };
    match path.strip_suffix(".md") {
        Some(stem) => {
            let page = match stem.rsplit_once('/') {
                Some((dir, "README" | "index")) => format!("{dir}/index.html"),
                None if stem == "README" || stem == "index" => "index.html".to_owned(),
                _ => format!("{stem}.html"),
            };
            CowStr::from(format!("{page}{fragment}"))
        }
        None => dest,
    }
}

/// Gives every heading an id (the author's `{#id}` or one made from its text, unique on
/// the page) and returns the headings in order.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut headings = Vec::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else { continue };
        let level = *level;
        let text = heading_text(&events[i + 1..]);
        let wanted = match id {
            Some(id) => id.to_string(),
            None => slug(&text),
        };
        let unique = unique_id(&mut used, wanted);
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(unique.clone()));
        }
        headings.push(Heading { level: level as u8, id: unique, text });
    }
    headings
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

fn unique_id(used: &mut HashMap<String, usize>, wanted: String) -> String {
    let wanted = if wanted.is_empty() { "section".to_owned() } else { wanted };
    let count = used.entry(wanted.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        wanted
    } else {
        let id = format!("{wanted}-{}", *count - 1);
        used.insert(id.clone(), 1);
        id
    }
}

/// A heading's text as an id: lower case, letters and digits of any script kept,
/// spaces and dashes as single dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Escapes text for use inside a double-quoted HTML attribute.
pub fn escape_attr(out: &mut String, s: &str) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
}

/// Escapes text for use as HTML element content.
pub fn escape_text(out: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut *out, s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn chapter(file: &str, text: &str) -> Expanded {
        Expanded::plain(Path::new(file), text.into(), 0)
    }

    fn render(text: &str) -> RenderedMarkdown {
        render_markdown(&chapter("content/ch.md", text)).unwrap()
    }

    #[test]
    fn extensions_are_on() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n").html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render("# Hello, World!\n\n## Hello World\n\n## Über `async` {#custom}\n\n## Hello World\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["hello-world", "hello-world-1", "custom", "hello-world-2"]);
        assert!(r.html.contains("<h1 id=\"hello-world\">"), "{}", r.html);
        assert_eq!(r.headings[2].text, "Über async");
        assert_eq!(slug("Threads & the GIL — 2024"), "threads-the-gil-2024");
        assert_eq!(slug("并发 与 并行"), "并发-与-并行");
    }

    #[test]
    fn demo_blocks_become_containers() {
        let r = render("Text\n\n```demo\nname = \"primes\"\nn = 1000\n```\n");
        assert_eq!(r.demos, ["primes"]);
        assert!(r.html.contains("data-demo=\"primes\""), "{}", r.html);
        assert!(r.html.contains("data-status=\"idle\""), "{}", r.html);
        assert!(r.html.contains("&quot;n&quot;:1000"), "{}", r.html);
        assert!(!r.html.contains("<pre>"), "{}", r.html);
    }

    #[test]
    fn demo_problems_point_at_the_file_line_and_column() {
        let text = "# Title\n\nSome text.\n\n```demo\nname = \"primes\"\nn = 0\n```\n";
        let problems = render_markdown(&chapter("content/ch.md", text)).unwrap_err();
        assert_eq!(problems.len(), 1);
        let line = problems[0].to_string();
        assert!(line.starts_with("content/ch.md:7:5: error: `n` = 0 is out of range"), "{line}");
    }

    #[test]
    fn demo_problems_inside_lists_keep_their_column() {
        let text = "- item\n\n  ```demo\n  name = \"nope\"\n  ```\n";
        let problems = render_markdown(&chapter("c.md", text)).unwrap_err();
        assert!(problems[0].to_string().starts_with("c.md:4:10: error: unknown demo `nope`"), "{}", problems[0]);
    }

    #[test]
    fn chapter_links_point_at_pages() {
        let html = render("[a](a.md) [b](sub/b.md#part) [r](README.md) [s](sub/README.md) [x](https://x.org/a.md) [i](img.png)").html;
        assert!(html.contains("href=\"a.html\""), "{html}");
        assert!(html.contains("href=\"sub/b.html#part\""), "{html}");
        assert!(html.contains("href=\"index.html\""), "{html}");
        assert!(html.contains("href=\"sub/index.html\""), "{html}");
        assert!(html.contains("href=\"https://x.org/a.md\""), "{html}");
        assert!(html.contains("href=\"img.png\""), "{html}");
    }

    #[test]
    fn other_code_blocks_are_left_alone() {
        let html = render("```python\nprint('<hi>')\n```\n").html;
        assert!(html.contains("class=\"language-python\""), "{html}");
        assert!(html.contains("&lt;hi&gt;"), "{html}");
    }
}
