//! One chapter's Markdown to HTML: CommonMark plus tables, footnotes, strikethrough,
//! task lists, heading ids and GitHub's admonitions, with `demo` blocks turned into demo
//! containers, other code blocks highlighted, a link to itself beside every heading, inline
//! claims about the page's demos turned into badges (`page_claims.rs`), and links to other
//! chapters' `.md` files pointed at their pages.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::parse::admonition;
use crate::parse::demo_block::{parse_demo_block, DEMO_INFO};
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::parse::code_block::code_block_html;
use crate::parse::footnotes::Footnotes;
use crate::parse::highlight::StyledScopes;
use crate::parse::image_size::{image_file, intrinsic_size, with_image_sizes};
use crate::load::include::Expanded;
use crate::core::html::{escape_attr, escape_href, escape_text, heading_id};
use crate::parse::link_refs::{html_ids, LinkRef};
use crate::parse::page_claims::{PageClaim, PageClaims};
use crate::parse::python_twin::{generated_twin, GeneratedTwin};
use crate::parse::section_text::{section_texts, SectionText};

/// A heading of the chapter, for the page's table of contents and for links to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The HTML of one chapter and what was learned while making it. What was learned can be
/// kept between builds (serde), all but the warnings, the demos by name; the two HTMLs are
/// left out of it, for the chapter cache keeps them as they are.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ChapterHtml {
    /// The chapter as its own page shows it.
    #[serde(skip)]
    pub html: String,
    /// The chapter as a section of the print page (ids made unique across the book,
    /// links and images relative to the site's root); empty when made for its own page alone.
    #[serde(skip)]
    pub print_html: String,
    pub headings: Vec<Heading>,
    /// The chapter's plain text, section by section, for search.
    pub sections: Vec<SectionText>,
    /// The names of the demos embedded on the page, in order.
    #[serde(with = "demo_names")]
    pub demos: Vec<&'static str>,
    /// The Python twins made for the page's demo blocks (a workload's), for the build to write.
    pub twins: Vec<GeneratedTwin>,
    /// The page title set by `{{#title …}}`, if any.
    pub title: Option<String>,
    /// Every link and image, with the destination as written, for the link checker.
    pub links: Vec<LinkRef>,
    /// Every id a link's `#anchor` can name: headings, footnotes, and ids in raw HTML.
    pub anchors: Vec<String>,
    /// The image files looked at for their size, found or not: the HTML depends on them
    /// as much as on the chapter's text.
    pub measured: Vec<PathBuf>,
    /// Problems that do not stop the page (formulas whose TeX cannot be read), located.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// A chapter's demos kept by name, and read back as the catalogue's own names (an unknown
/// name is an error: the chapter is then made again).
mod demo_names {
    use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(names: &[&'static str], to: S) -> Result<S::Ok, S::Error> {
        names.serialize(to)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Vec<&'static str>, D::Error> {
        let names: Vec<String> = Vec::deserialize(from)?;
        let found = names.iter().map(|name| demos_wasm::catalogue::find(name).map(|spec| spec.name));
        found.collect::<Option<Vec<_>>>().ok_or_else(|| D::Error::custom("a demo that is no longer in the catalogue"))
    }
}

/// The Markdown switches a book can turn off, as in mdBook 0.5's `[output.html]`: by
/// default, mdBook 0.5's extensions (tables, footnotes, strikethrough, task lists, heading
/// attributes, smart punctuation, definition lists and GitHub's admonitions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    pub smart_punctuation: bool,
    pub definition_lists: bool,
    pub admonitions: bool,
    /// `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]` rendered as MathML (`mathjax-support`).
    pub math: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions { smart_punctuation: true, definition_lists: true, admonitions: true, math: false }
    }
}

impl MarkdownOptions {
    /// The switches `book.toml` sets.
    pub fn of(html: &crate::load::config::HtmlOptions) -> Self {
        MarkdownOptions {
            smart_punctuation: html.smart_punctuation,
            definition_lists: html.definition_lists,
            admonitions: html.admonitions,
            math: html.math,
        }
    }

    /// pulldown-cmark's options for these switches.
    pub fn extensions(self) -> Options {
        let mut options =
            Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_HEADING_ATTRIBUTES;
        options.set(Options::ENABLE_SMART_PUNCTUATION, self.smart_punctuation);
        options.set(Options::ENABLE_DEFINITION_LIST, self.definition_lists);
        options.set(Options::ENABLE_GFM, self.admonitions);
        options.set(Options::ENABLE_MATH, self.math);
        options
    }
}

/// Where a chapter's HTML is placed, and so how its ids, links and demos are written. On
/// the chapter's own page ([`OwnPage`]) they stay as written; the print page, which holds
/// every chapter, changes them (see `print.rs`).
pub trait Placement {
    /// The id written for a heading id or a footnote's label.
    fn id<'s>(&self, id: &'s str) -> Cow<'s, str>;
    /// The address written for a link (other chapters' `.md` already point at pages).
    fn link<'s>(&self, dest: &'s str) -> Cow<'s, str>;
    /// The address written for an image.
    fn image<'s>(&self, src: &'s str) -> Cow<'s, str>;
    /// What stands in for the live demo titled `title`; `None` embeds the demo itself.
    fn demo(&self, title: &str) -> Option<String>;
}

/// Ids and links as written: the chapter on its own page.
pub struct OwnPage;

impl Placement for OwnPage {
    fn id<'s>(&self, id: &'s str) -> Cow<'s, str> {
        Cow::Borrowed(id)
    }
    fn link<'s>(&self, dest: &'s str) -> Cow<'s, str> {
        Cow::Borrowed(dest)
    }
    fn image<'s>(&self, src: &'s str) -> Cow<'s, str> {
        Cow::Borrowed(src)
    }
    fn demo(&self, _title: &str) -> Option<String> {
        None
    }
}

/// A chapter read and transformed, ready to be written as HTML for any page.
#[derive(Default)]
pub struct Document<'a> {
    events: Vec<Event<'a>>,
    /// Which events are demo containers, with the demo's title.
    demo_events: HashMap<usize, &'static str>,
    pub headings: Vec<Heading>,
    /// The names of the demos embedded in the chapter, in order.
    pub demos: Vec<&'static str>,
    /// The Python twins made for the chapter's demo blocks.
    pub twins: Vec<GeneratedTwin>,
    /// Every link and image, with the destination as written, for the link checker.
    pub links: Vec<LinkRef>,
    /// Every id a link's `#anchor` can name: headings, footnotes, and ids in raw HTML.
    pub anchors: Vec<String>,
    /// The chapter's text, section by section, for the search index.
    pub sections: Vec<SectionText>,
    /// The inline claims (`{{#claim …}}`), checked against the page's demos, in order.
    pub claims: Vec<PageClaim>,
    /// The intrinsic size of each Markdown image that has one, by its address as written.
    image_sizes: HashMap<String, (u32, u32)>,
    /// The image files looked at for their size, found or not: the HTML depends on them.
    pub measured: Vec<PathBuf>,
    /// Problems that do not stop the page: formulas whose TeX cannot be read.
    pub warnings: Vec<Diagnostic>,
}

/// Where a chapter's page is, for what its HTML points at on its own.
#[derive(Debug, Clone, Default)]
pub struct PagePlace {
    /// The way from the page to the site's root (`""`, `"../"`), for the demos' Python twins.
    pub root: String,
    /// The page's folder in the source folder, where its images are measured from; none:
    /// images get no size.
    pub folder: Option<PathBuf>,
}

/// A chapter's Markdown (directives already expanded) as HTML for its own page; code is
/// highlighted with the spans `styles` selects.
pub fn markdown_to_html(chapter: &Expanded, styles: &StyledScopes) -> Result<ChapterHtml, Vec<Diagnostic>> {
    markdown_to_html_with(chapter, styles, MarkdownOptions::default())
}

/// [`markdown_to_html`] with the book's Markdown switches.
pub fn markdown_to_html_with(chapter: &Expanded, styles: &StyledScopes, options: MarkdownOptions) -> Result<ChapterHtml, Vec<Diagnostic>> {
    Ok(parse_chapter(chapter, styles, &PagePlace::default(), options)?.into_chapter_html(None, None))
}

/// Reads a chapter's Markdown (directives already expanded) for a page at `place`, with
/// the book's Markdown switches: demo blocks are checked and become demo containers, other
/// fenced code is highlighted, headings get ids, images their size. Problems in demo blocks
/// are returned all together, each at the file, line and column it came from.
pub fn parse_chapter<'a>(chapter: &'a Expanded, styles: &StyledScopes, place: &PagePlace, options: MarkdownOptions) -> Result<Document<'a>, Vec<Diagnostic>> {
    let mut parser = Parser::new_ext(chapter.text.as_str(), options.extensions()).into_offset_iter();
    let mut read = Reading { chapter, styles, place, document: Document::default(), problems: Vec::new(), claims: PageClaims::default() };
    while let Some((event, span)) = parser.next() {
        note_link_targets(&event, &span, &mut read.document.links, &mut read.document.anchors);
        // Text is held until the next other event, so that a claim in it is read whole.
        let Some(event) = read.claims.hold(event, span.clone()) else { continue };
        read.claims.release(&mut read.document.events, chapter, &mut read.problems);
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_demo_info(&info) => read.demo_block(&mut parser, span),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => read.code_block(&mut parser, info),
            event => {
                let event = read.with_image_size(event);
                read.document.events.push(transformed(event));
            }
        }
    }
    read.claims.release(&mut read.document.events, chapter, &mut read.problems);
    read.document.claims = read.claims.finish(&mut read.document.events, chapter, &mut read.problems);
    if !read.problems.is_empty() {
        return Err(read.problems);
    }
    let mut document = read.document;
    document.headings = assign_heading_ids(&mut document.events);
    document.anchors.extend(document.headings.iter().map(|h| h.id.clone()));
    document.sections = section_texts(&document.events);
    // Bad TeX is placed by reading the chapter again, only when rendering met some.
    if options.math && super::math::render_math(&mut document.events) {
        document.warnings = bad_math_warnings(chapter, options);
    }
    Ok(document)
}

/// The chapter's formulas whose TeX cannot be read, as warnings at the formula.
fn bad_math_warnings(chapter: &Expanded, options: MarkdownOptions) -> Vec<Diagnostic> {
    let bad = super::math::bad_formulas(chapter.text.as_str(), options.extensions());
    let warning = |b: super::math::BadFormula| {
        let found = chapter.diagnostic(b.span, format!("this TeX cannot be read: {}", b.problem));
        Diagnostic { severity: Severity::Warning, ..found }.with_help("check the TeX; this formula is shown as source in the page")
    };
    bad.into_iter().map(warning).collect()
}

/// The parser's events with where each is in the chapter's text.
type Events<'a> = pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>;

/// A chapter being read: the document so far and the problems found.
struct Reading<'a, 's> {
    chapter: &'a Expanded,
    styles: &'s StyledScopes,
    place: &'s PagePlace,
    document: Document<'a>,
    problems: Vec<Diagnostic>,
    claims: PageClaims<'a>,
}

impl<'a> Reading<'a, '_> {
    /// A demo block, from its start at `span` to its end: checked, and a demo container
    /// in the document, or its problems at their line and column in the file.
    fn demo_block(&mut self, parser: &mut Events<'a>, span: Range<usize>) {
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
                self.claims.note_demo(block.spec.name, &block.params);
                let document = &mut self.document;
                document.demos.push(block.spec.name);
                document.twins.extend(generated_twin(block.spec, &block.params));
                document.demo_events.insert(document.events.len(), block.spec.title);
                document.events.push(Event::Html(CowStr::from(demo_html(&block, &self.place.root))));
            }
            Err(found) => {
                for p in found {
                    let start = to_source(&pieces, p.span.start, span.start);
                    let end = to_source(&pieces, p.span.end, start).max(start);
                    self.problems.push(self.chapter.diagnostic(start..end, p.message).with_help(p.help));
                }
            }
        }
    }

    /// `event`, noting the size of the image it starts, or with sizes added to the images
    /// of its raw HTML.
    fn with_image_size(&mut self, event: Event<'a>) -> Event<'a> {
        let Some(folder) = &self.place.folder else { return event };
        match event {
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                self.document.measured.extend(image_file(folder, dest_url));
                if let Some(size) = intrinsic_size(folder, dest_url) {
                    self.document.image_sizes.insert(dest_url.to_string(), size);
                }
                event
            }
            Event::Html(html) => Event::Html(with_image_sizes(&html, folder, &mut self.document.measured).map_or(html, CowStr::from)),
            Event::InlineHtml(html) => Event::InlineHtml(with_image_sizes(&html, folder, &mut self.document.measured).map_or(html, CowStr::from)),
            event => event,
        }
    }

    /// A fenced code block other than a demo, up to its end: highlighted, or as escaped
    /// text when its language is unknown or plain; its attributes kept as classes and
    /// Rust's hidden lines hidden ([`code_block_html`]).
    fn code_block(&mut self, parser: &mut Events<'a>, info: CowStr<'a>) {
        let mut code = String::new();
        for (e, _) in parser.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        let html = code_block_html(&info, &code, self.styles);
        self.document.events.push(Event::Html(CowStr::from(html)));
    }
}

/// Any other event as the document keeps it: admonitions become call-outs, links to
/// other chapters' `.md` files point at their pages.
fn transformed(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(CowStr::from(admonition::open_html(kind))),
        Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::Borrowed(admonition::CLOSE_HTML)),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: chapter_link(dest_url), title, id })
        }
        other => other,
    }
}

/// Records the links and images an event starts, and the ids it defines.
fn note_link_targets(event: &Event<'_>, span: &Range<usize>, links: &mut Vec<LinkRef>, anchors: &mut Vec<String>) {
    match event {
        // Autolinks (`<https://…>`, `<a@b.org>`) are addresses, never files of the book.
        Event::Start(Tag::Link { link_type, dest_url, .. }) | Event::Start(Tag::Image { link_type, dest_url, .. })
            if !matches!(link_type, LinkType::Autolink | LinkType::Email) =>
        {
            let image = matches!(event, Event::Start(Tag::Image { .. }));
            links.push(LinkRef { dest: dest_url.to_string(), image, span: span.clone() });
        }
        Event::Start(Tag::FootnoteDefinition(label)) => anchors.push(format!("footnote-{label}")),
        Event::Html(html) | Event::InlineHtml(html) => anchors.extend(html_ids(html)),
        _ => {}
    }
}

impl Document<'_> {
    /// The chapter's HTML for its own page and, when `print` is given, placed as it says
    /// for the print page; `title` is the chapter's `{{#title}}`, if any.
    pub fn into_chapter_html(self, print: Option<&dyn Placement>, title: Option<String>) -> ChapterHtml {
        let html = self.to_html(&OwnPage);
        let print_html = print.map(|placement| self.to_html(placement)).unwrap_or_default();
        ChapterHtml {
            html,
            print_html,
            headings: self.headings,
            demos: self.demos,
            twins: self.twins,
            title,
            links: self.links,
            anchors: self.anchors,
            sections: self.sections,
            measured: self.measured,
            warnings: self.warnings,
        }
    }

    /// The chapter's HTML placed as `placement` says. Every heading is followed by a link
    /// to itself (outside the heading, so the heading's own text is all a screen reader
    /// announces for it).
    pub fn to_html(&self, placement: &dyn Placement) -> String {
        let mut out: Vec<Event<'_>> = Vec::with_capacity(self.events.len() + self.headings.len() * 2);
        let mut footnotes = Footnotes::new(&self.events);
        let mut anchor = String::new();
        let mut i = 0;
        while let Some(event) = self.events.get(i) {
            i += 1;
            if let Some(stand_in) = self.demo_events.get(&(i - 1)).and_then(|title| placement.demo(title)) {
                out.push(Event::Html(CowStr::from(stand_in)));
                continue;
            }
            match event {
                Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                    let id = placement.id(id.as_deref().unwrap_or_default()).into_owned();
                    out.push(Event::Html(CowStr::from(format!("<div class=\"heading level-{}\">", *level as u8))));
                    anchor.clear();
                    anchor.push_str("<a class=\"anchor\" href=\"#");
                    escape_href(&mut anchor, &id);
                    anchor.push_str("\" aria-label=\"Link to this section\"><span aria-hidden=\"true\">#</span></a></div>\n");
                    out.push(Event::Start(Tag::Heading {
                        level: *level,
                        id: Some(CowStr::from(id)),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    out.push(Event::End(TagEnd::Heading(*level)));
                    out.push(Event::Html(CowStr::from(std::mem::take(&mut anchor))));
                }
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(placement.link(dest_url).into_owned()),
                    title: title.clone(),
                    id: id.clone(),
                })),
                Event::Start(Tag::Image { dest_url, title, .. }) if self.image_sizes.contains_key(dest_url.as_ref()) => {
                    let (html, after) = self.sized_image(i, &placement.image(dest_url), title, self.image_sizes[dest_url.as_ref()]);
                    out.push(Event::Html(CowStr::from(html)));
                    i = after;
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: CowStr::from(placement.image(dest_url).into_owned()),
                    title: title.clone(),
                    id: id.clone(),
                })),
                Event::Start(Tag::FootnoteDefinition(label)) => footnotes.start(label, out.len()),
                Event::End(TagEnd::FootnoteDefinition) => footnotes.end(&mut out),
                Event::FootnoteReference(label) => out.push(Event::Html(CowStr::from(footnotes.reference(label, placement)))),
                other => out.push(other.clone()),
            }
        }
        let aligned = out.iter().any(|e| matches!(e, Event::Start(Tag::Table(a)) if a.iter().any(|a| *a != Alignment::None)));
        let mut html = String::with_capacity(self.events.len() * 32);
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        footnotes.write_definitions(&mut html, placement);
        if aligned {
            html = alignment_classes(&html);
        }
        html
    }
}

/// Table cells aligned with classes rather than the `style` attributes pulldown-cmark
/// writes, which the pages' Content-Security-Policy (`style-src 'self'`) would refuse.
fn alignment_classes(html: &str) -> String {
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

impl Document<'_> {
    /// A Markdown image with its size, as pulldown-cmark writes one with `width` and
    /// `height` added: its alternative text is the plain text of the events from `first`
    /// to the image's end. Returns the tag and the index of the event after the image.
    fn sized_image(&self, first: usize, src: &str, title: &str, (width, height): (u32, u32)) -> (String, usize) {
        let mut alt = String::new();
        let mut depth = 0;
        let mut i = first;
        while let Some(event) = self.events.get(i) {
            i += 1;
            match event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => escape_attr(&mut alt, text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let mut html = String::with_capacity(src.len() + alt.len() + 64);
        html.push_str("<img src=\"");
        escape_href(&mut html, src);
        html.push_str("\" alt=\"");
        html.push_str(&alt);
        if !title.is_empty() {
            html.push_str("\" title=\"");
            escape_attr(&mut html, title);
        }
        html.push_str(&format!("\" width=\"{width}\" height=\"{height}\" />"));
        (html, i)
    }
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
fn demo_html(block: &crate::parse::demo_block::DemoBlock, root: &str) -> String {
    let params = serde_json::Value::Object(block.params.clone()).to_string();
    let mut out = String::new();
    out.push_str("<figure class=\"demo\" data-demo=\"");
    escape_attr(&mut out, block.spec.name);
    out.push_str("\" data-status=\"idle\" data-params=\"");
    escape_attr(&mut out, &params);
    out.push_str("\" data-spec=\"");
    escape_attr(&mut out, &crate::parse::demo_block::spec_json(block.spec).to_string());
    if let Some(prediction) = &block.predict {
        // The questions asked before the run: theme/static/demos/figure/predict-section.js.
        out.push_str("\" data-predict-ask=\"");
        escape_attr(&mut out, &prediction.to_json().to_string());
    }
    out.push_str("\">\n<figcaption>");
    escape_text(&mut out, block.spec.title);
    out.push_str("</figcaption>\n<noscript>This demo runs in your browser and needs JavaScript.</noscript>\n");
    if let Some(twin) = crate::parse::python_twin::twin_html(block.spec, &block.params, root) {
        out.push_str(&twin);
    }
    out.push_str("</figure>\n");
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
            None => heading_id(&text),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn chapter(file: &str, text: &str) -> Expanded {
        Expanded::plain(Path::new(file), text.into(), 0)
    }

    fn chapter_html(text: &str) -> ChapterHtml {
        markdown_to_html(&chapter("content/ch.md", text), &StyledScopes::Everything).unwrap()
    }

    #[test]
    fn extensions_are_on() {
        let html = chapter_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n").html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn table_alignment_is_written_as_classes() {
        let html = chapter_html("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n").html;
        assert!(html.contains("<th class=\"align-left\">a</th><th class=\"align-center\">b</th><th class=\"align-right\">c</th><th>d</th>"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = chapter_html("# Hello, World!\n\n## Hello World\n\n## Über `async` {#custom}\n\n## Hello World\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["hello-world", "hello-world-1", "custom", "hello-world-2"]);
        assert!(r.html.contains("<h1 id=\"hello-world\">"), "{}", r.html);
        assert_eq!(r.headings[2].text, "Über async");
    }

    #[test]
    fn demo_blocks_become_containers() {
        let r = chapter_html("Text\n\n```demo\nname = \"primes\"\nn = 1000\n```\n");
        assert_eq!(r.demos, ["primes"]);
        assert!(r.html.contains("data-demo=\"primes\""), "{}", r.html);
        assert!(r.html.contains("data-status=\"idle\""), "{}", r.html);
        assert!(r.html.contains("&quot;n&quot;:1000"), "{}", r.html);
        assert!(r.html.contains("data-spec=\"{&quot;agreement&quot;"), "{}", r.html);
        assert!(!r.html.contains("<pre>"), "{}", r.html);
    }

    #[test]
    fn demo_problems_point_at_the_file_line_and_column() {
        let text = "# Title\n\nSome text.\n\n```demo\nname = \"primes\"\nn = 0\n```\n";
        let problems = markdown_to_html(&chapter("content/ch.md", text), &StyledScopes::Everything).unwrap_err();
        assert_eq!(problems.len(), 1);
        let line = problems[0].to_string();
        assert!(line.starts_with("content/ch.md:7:5: error: `n` = 0 is out of range"), "{line}");
    }

    #[test]
    fn demo_problems_inside_lists_keep_their_column() {
        let text = "- item\n\n  ```demo\n  name = \"nope\"\n  ```\n";
        let problems = markdown_to_html(&chapter("c.md", text), &StyledScopes::Everything).unwrap_err();
        assert!(problems[0].to_string().starts_with("c.md:4:10: error: unknown demo `nope`"), "{}", problems[0]);
    }

    #[test]
    fn chapter_links_point_at_pages() {
        let html = chapter_html("[a](a.md) [b](sub/b.md#part) [r](README.md) [s](sub/README.md) [x](https://x.org/a.md) [i](img.png)").html;
        assert!(html.contains("href=\"a.html\""), "{html}");
        assert!(html.contains("href=\"sub/b.html#part\""), "{html}");
        assert!(html.contains("href=\"index.html\""), "{html}");
        assert!(html.contains("href=\"sub/index.html\""), "{html}");
        assert!(html.contains("href=\"https://x.org/a.md\""), "{html}");
        assert!(html.contains("href=\"img.png\""), "{html}");
    }

    #[test]
    fn fenced_code_is_highlighted_and_escaped() {
        let html = chapter_html("```python\nprint('<hi>')  # hi\n```\n").html;
        assert!(html.contains("<pre class=\"highlight\"><code class=\"language-python\">"), "{html}");
        assert!(html.contains("class=\"hl-comment"), "{html}");
        assert!(html.contains("&lt;hi&gt;") && !html.contains("<hi>"), "{html}");
        let html = chapter_html("```rust,ignore\nfn main() {}\n```\n").html;
        assert!(html.contains("<code class=\"language-rust ignore\">") && html.contains("hl-storage"), "{html}");
    }

    #[test]
    fn unknown_languages_and_indented_code_stay_plain() {
        let html = chapter_html("```nosuchlanguage\n<x> & y\n```\n\n    indented <b>\n").html;
        assert!(html.contains("<pre><code class=\"language-nosuchlanguage\">&lt;x&gt; &amp; y\n</code></pre>"), "{html}");
        assert!(html.contains("<pre><code>indented &lt;b&gt;\n</code></pre>"), "{html}");
        assert!(!html.contains("hl-"), "{html}");
        let html = chapter_html("```\nno language\n```\n").html;
        assert!(html.contains("<pre><code>no language\n</code></pre>"), "{html}");
    }

    #[test]
    fn demo_blocks_are_not_highlighted() {
        let html = chapter_html("```demo\nname = \"primes\"\n```\n").html;
        // The figure holds its Python twin's part, which links to the script (fetched when
        // opened), and no highlighted code.
        let (figure, twin) = html.split_once("<details class=\"demo-python\"").expect("the primes demo has a Python twin");
        assert!(figure.contains("data-demo=\"primes\"") && !html.contains("hl-"), "{html}");
        assert!(twin.contains("href=\"static/python/primes.py\"") && twin.trim_end().ends_with("</details>\n</figure>"), "{html}");
    }

    #[test]
    fn every_heading_links_to_itself_from_outside_it() {
        let html = chapter_html("# Title\n\n## Threads & `async`\n\n###### Small\n").html;
        assert!(
            html.contains(
                "<div class=\"heading level-2\">\n<h2 id=\"threads--async\">Threads &amp; <code>async</code></h2>\n\
                 <a class=\"anchor\" href=\"#threads--async\" aria-label=\"Link to this section\"><span aria-hidden=\"true\">#</span></a></div>"
            ),
            "{html}"
        );
        assert!(html.contains("<div class=\"heading level-1\">") && html.contains("href=\"#title\""), "{html}");
        assert!(html.contains("<div class=\"heading level-6\">") && html.contains("href=\"#small\""), "{html}");
        assert_eq!(html.matches("class=\"anchor\"").count(), 3, "{html}");
    }

    #[test]
    fn github_admonitions_become_call_outs() {
        let html = chapter_html("> [!NOTE]\n> Read *this*.\n\n> [!CAUTION]\n> Careful.\n>\n> > [!TIP]\n> > Nested.\n").html;
        assert!(html.contains("<div class=\"admonition admonition-note\">"), "{html}");
        assert!(html.contains("</svg>Note</p>\n<p>Read <em>this</em>.</p>\n</div>"), "{html}");
        assert!(html.contains("<div class=\"admonition admonition-caution\">") && html.contains("</svg>Caution</p>"), "{html}");
        assert!(html.contains("<div class=\"admonition admonition-tip\">") && html.contains("<p>Nested.</p>"), "{html}");
        assert!(!html.contains("<blockquote"), "{html}");
        assert!(!html.contains("[!NOTE]"), "{html}");
        assert_eq!(html.matches("<div class=\"admonition").count(), html.matches("</div>").count(), "{html}");
        for (marker, title) in [("IMPORTANT", "Important"), ("WARNING", "Warning"), ("TIP", "Tip")] {
            let html = chapter_html(&format!("> [!{marker}]\n> Text.\n")).html;
            assert!(html.contains(&format!("</svg>{title}</p>")), "{html}");
        }
    }

    #[test]
    fn other_blockquotes_stay_quotes() {
        for text in ["> Just a quote.\n", "> [!NOPE]\n> Not a kind.\n", "> Text [!NOTE] later.\n"] {
            let html = chapter_html(text).html;
            assert!(html.contains("<blockquote>") && !html.contains("admonition"), "{html}");
        }
    }

    /// A placement that marks every id, link and demo, as the print page changes them.
    struct Marked;
    impl Placement for Marked {
        fn id<'s>(&self, id: &'s str) -> Cow<'s, str> {
            Cow::Owned(format!("ch--{id}"))
        }
        fn link<'s>(&self, dest: &'s str) -> Cow<'s, str> {
            Cow::Owned(format!("link:{dest}"))
        }
        fn image<'s>(&self, src: &'s str) -> Cow<'s, str> {
            Cow::Owned(format!("img/{src}"))
        }
        fn demo(&self, title: &str) -> Option<String> {
            Some(format!("<p>demo: {title}</p>"))
        }
    }

    #[test]
    fn ids_links_images_footnotes_and_demos_follow_the_placement() {
        let source = chapter("c.md", "## Part\n\n[a](a.md#x) ![i](p.png) note[^n]\n\n[^n]: Foot.\n\n```demo\nname = \"primes\"\n```\n");
        let document = parse_chapter(&source, &StyledScopes::Everything, &PagePlace::default(), MarkdownOptions::default()).unwrap();
        let html = document.to_html(&Marked);
        assert!(html.contains("<h2 id=\"ch--part\">") && html.contains("href=\"#ch--part\""), "{html}");
        assert!(html.contains("href=\"link:a.html#x\""), "{html}");
        assert!(html.contains("src=\"img/p.png\""), "{html}");
        assert!(html.contains("href=\"#ch--footnote-n\"") && html.contains("id=\"ch--footnote-n\""), "{html}");
        assert!(html.contains("<p>demo: ") && !html.contains("data-demo"), "{html}");
        // The headings list keeps the page's own ids.
        assert_eq!(document.headings[0].id, "part");
        let own = document.to_html(&OwnPage);
        assert!(own.contains("<h2 id=\"part\">") && own.contains("href=\"a.html#x\""), "{own}");
        assert!(own.contains("data-demo=\"primes\""), "{own}");
    }

    #[test]
    fn images_of_the_book_get_their_size_on_every_placement() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.svg"), r#"<svg viewBox="0 0 300 100"></svg>"#).unwrap();
        let text = "![A *diagram* \"quoted\"](d.svg \"Its title\") ![missing](m.png)\n\n<p><img src=\"d.svg\" alt=\"raw\"></p>\n";
        let source = chapter("c.md", text);
        let place = PagePlace { root: "../".to_owned(), folder: Some(dir.path().to_path_buf()) };
        // Straight quotes, to see them escaped in the alternative text.
        let straight = MarkdownOptions { smart_punctuation: false, ..MarkdownOptions::default() };
        let document = parse_chapter(&source, &StyledScopes::Everything, &place, straight).unwrap();
        let own = document.to_html(&OwnPage);
        assert!(
            own.contains(r#"<img src="d.svg" alt="A diagram &quot;quoted&quot;" title="Its title" width="300" height="100" />"#),
            "{own}"
        );
        assert!(own.contains(r#"<img src="m.png" alt="missing" />"#), "no size for what is missing: {own}");
        assert!(own.contains(r#"<img src="d.svg" alt="raw" width="300" height="100">"#), "{own}");
        let print = document.to_html(&Marked);
        assert!(print.contains(r#"<img src="img/d.svg" alt="A diagram &quot;quoted&quot;" title="Its title" width="300" height="100" />"#), "{print}");
        // The same image written by pulldown-cmark without a size, for comparison.
        let plain = parse_chapter(&source, &StyledScopes::Everything, &PagePlace::default(), straight).unwrap().to_html(&OwnPage);
        assert!(plain.contains(r#"<img src="d.svg" alt="A diagram &quot;quoted&quot;" title="Its title" />"#), "{plain}");
    }

    #[test]
    fn links_and_anchors_are_recorded_with_their_place() {
        let text = "# Top\n\nSee [a](a.md#x \"t\") and ![i](img.png).\n<a id=\"raw\"></a>\n\n<https://x.org> [r][ref] note[^n]\n\n[ref]: b.md\n[^n]: Foot.\n";
        let r = chapter_html(text);
        let links: Vec<(&str, bool, &str)> =
            r.links.iter().map(|l| (l.dest.as_str(), l.image, &text[l.span.clone()])).collect();
        assert_eq!(links, [("a.md#x", false, "[a](a.md#x \"t\")"), ("img.png", true, "![i](img.png)"), ("b.md", false, "[r][ref]")]);
        let mut anchors = r.anchors.clone();
        anchors.sort();
        assert_eq!(anchors, ["footnote-n", "raw", "top"]);
    }
}
