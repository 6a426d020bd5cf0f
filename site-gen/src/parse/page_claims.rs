//! The inline claims of one chapter, while its Markdown is read ([`super::markdown`]): its
//! text (never code spans or code blocks, which the Markdown parser keeps apart) and its line
//! breaks are held until the next other event, so a claim the parser split into pieces, or an
//! author wrapped over lines, is read whole; each claim
//! becomes a badge ([`super::claim_badge`]) once the whole page is read, because it must name
//! a demo that is on the same page, and a mode that demo's block runs, whether the block
//! comes before the claim or after it. `\{{#claim …}}` is a claim written as text.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use serde_json::{Map, Value as Json};

use crate::core::diagnostic::Diagnostic;
use crate::load::include::Expanded;
use crate::parse::claim::{find_claims, mode_names, Claim, CLAIM_OPEN};
use crate::parse::claim_badge::claim_html;

/// A claim checked against its page: with the parameters of the run it is about (its demo
/// block's, the claim's own put over them), and where it is in the chapter's expanded text.
#[derive(Debug, Clone)]
pub struct PageClaim {
    pub claim: Claim,
    pub run_params: Map<String, Json>,
    pub span: Range<usize>,
}

/// A piece of the text being held.
enum Held<'a> {
    Text(CowStr<'a>),
    /// A line break inside a paragraph, read as a newline.
    LineBreak,
}

impl Held<'_> {
    fn text(&self) -> &str {
        match self {
            Held::Text(text) => text,
            Held::LineBreak => "\n",
        }
    }
}

/// A claim read, waiting for the end of the page to be checked: its badge goes at `event`.
struct Placed {
    claim: Claim,
    span: Range<usize>,
    event: usize,
}

/// The claims of a chapter being read.
#[derive(Default)]
pub(crate) struct PageClaims<'a> {
    /// Text and line breaks since the last other event, each with its span in the chapter.
    held: Vec<(Held<'a>, Range<usize>)>,
    /// Inside an indented code block, whose text is code.
    in_code: bool,
    placed: Vec<Placed>,
    /// Every demo block of the page so far: its demo and parameters.
    blocks: Vec<(&'static str, Map<String, Json>)>,
}

impl<'a> PageClaims<'a> {
    /// Keeps `event` when it is text that may hold a claim (`None`); gives it back otherwise.
    pub fn hold(&mut self, event: Event<'a>, span: Range<usize>) -> Option<Event<'a>> {
        match event {
            Event::Text(text) if !self.in_code => {
                self.held.push((Held::Text(text), span));
                None
            }
            Event::SoftBreak => {
                self.held.push((Held::LineBreak, span));
                None
            }
            event => {
                match &event {
                    Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => self.in_code = true,
                    Event::End(TagEnd::CodeBlock) => self.in_code = false,
                    _ => {}
                }
                Some(event)
            }
        }
    }

    /// Notes a demo block of the page, which claims may name.
    pub fn note_demo(&mut self, demo: &'static str, params: &Map<String, Json>) {
        self.blocks.push((demo, params.clone()));
    }

    /// Puts the text held so far into `events`: as it was, or with each claim in it replaced
    /// by the place of its badge; problems go to `problems`.
    pub fn release(&mut self, events: &mut Vec<Event<'a>>, chapter: &Expanded, problems: &mut Vec<Diagnostic>) {
        let held = std::mem::take(&mut self.held);
        // The opening `{{#claim` is never split (the parser splits text only at punctuation
        // it may change), so text without one in any piece is passed on as it came.
        let has_claim = held.iter().any(|(piece, _)| piece.text().contains(CLAIM_OPEN));
        let text: String = if has_claim { held.iter().map(|(piece, _)| piece.text()).collect() } else { String::new() };
        if !has_claim {
            events.extend(held.into_iter().map(|(piece, _)| match piece {
                Held::Text(text) => Event::Text(text),
                Held::LineBreak => Event::SoftBreak,
            }));
            return;
        }
        let pieces: Vec<(usize, Range<usize>)> = held
            .iter()
            .scan(0, |at, (piece, span)| {
                let start = *at;
                *at += piece.text().len();
                Some((start, span.clone()))
            })
            .collect();
        let source = |offset: usize| in_source(&pieces, offset);
        let mut copied = 0;
        for found in find_claims(&text) {
            let start = source(found.span.start);
            if is_escaped(&chapter.text, start) {
                continue;
            }
            push_text(events, &text[copied..found.span.start]);
            copied = found.span.end;
            let span = start..source(found.span.end);
            match found.claim {
                Ok(claim) => {
                    self.placed.push(Placed { claim, span, event: events.len() });
                    events.push(Event::InlineHtml(CowStr::Borrowed("")));
                }
                Err(found) => problems.extend(found.into_iter().map(|p| {
                    chapter.diagnostic(source(p.span.start)..source(p.span.end), p.message).with_help(p.help)
                })),
            }
        }
        push_text(events, &text[copied..]);
    }

    /// Checks every claim against the page's demo blocks and puts its badge in place: the
    /// claims of the page, or their problems in `problems`.
    pub fn finish(self, events: &mut [Event<'a>], chapter: &Expanded, problems: &mut Vec<Diagnostic>) -> Vec<PageClaim> {
        let mut claims = Vec::new();
        for Placed { claim, span, event } in self.placed {
            match run_params(&claim, &self.blocks) {
                Ok(run_params) => {
                    events[event] = Event::InlineHtml(CowStr::from(claim_html(&claim)));
                    claims.push(PageClaim { claim, run_params, span });
                }
                Err((message, help)) => problems.push(chapter.diagnostic(span, message).with_help(help)),
            }
        }
        claims
    }
}

fn push_text<'a>(events: &mut Vec<Event<'a>>, text: &str) {
    if !text.is_empty() {
        events.push(Event::Text(CowStr::from(text.to_owned())));
    }
}

/// Where `offset` of the held text (its pieces starting at the first number of each pair)
/// is in the chapter.
fn in_source(pieces: &[(usize, Range<usize>)], offset: usize) -> usize {
    let Some((start, span)) = pieces.iter().rev().find(|(start, _)| *start <= offset) else { return 0 };
    (span.start + (offset - start)).min(span.end)
}

/// Whether the claim at `start` of the chapter's text is written after a backslash.
fn is_escaped(text: &str, start: usize) -> bool {
    text[start..].starts_with('\\') || text[..start].ends_with('\\')
}

/// The parameters of the run `claim` is about: those of the page's block of its demo (the
/// first whose parameters agree with the claim's, else the first), the claim's put over them;
/// or why the page cannot bear the claim out, and what would.
fn run_params(claim: &Claim, blocks: &[(&'static str, Map<String, Json>)]) -> Result<Map<String, Json>, (String, String)> {
    let demo = claim.demo.name;
    let same: Vec<&Map<String, Json>> = blocks.iter().filter(|(name, _)| *name == demo).map(|(_, params)| params).collect();
    let Some(first) = same.first() else {
        let on_page: Vec<&str> = blocks.iter().map(|(name, _)| *name).collect();
        let help = if on_page.is_empty() {
            format!("a claim is checked by the demo beside it: add a ```demo block with name = \"{demo}\" to this page")
        } else {
            format!("demos on this page: {}; a claim is checked by a demo on the same page", on_page.join(", "))
        };
        return Err((format!("the `{demo}` demo is not on this page"), help));
    };
    let agrees = |params: &&&Map<String, Json>| claim.params.iter().all(|(key, value)| params.get(key) == Some(value));
    let block = same.iter().find(agrees).unwrap_or(first);
    let modes: Vec<&str> = block.get("modes").and_then(Json::as_array).map(|m| m.iter().filter_map(Json::as_str).collect()).unwrap_or_default();
    let needed = if claim.expect.is_count() { vec![claim.mode] } else { vec![claim.mode, claim.demo.baseline] };
    if let Some(missing) = needed.into_iter().find(|mode| !modes.contains(mode)) {
        let why = if missing == claim.mode { String::new() } else { format!(", which `{}` is measured against", claim.mode) };
        return Err((
            format!("the `{demo}` demo on this page does not run `{missing}`{why}"),
            format!("its block runs {}: add `{missing}` to its `modes` (the demo's modes: {})", modes.join(", "), mode_names(claim.demo)),
        ));
    }
    let mut params = (*block).clone();
    params.extend(claim.params.clone());
    Ok(params)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use crate::parse::highlight::StyledScopes;
    use crate::parse::markdown::{parse_chapter, MarkdownOptions, PagePlace};

    use super::*;

    fn read(text: &str) -> Result<(String, Vec<PageClaim>), Vec<String>> {
        let chapter = Expanded::plain(Path::new("content/ch.md"), text.into(), 0);
        match parse_chapter(&chapter, &StyledScopes::Everything, &PagePlace::default(), MarkdownOptions::default()) {
            Ok(document) => {
                let html = document.to_html(&crate::parse::markdown::OwnPage);
                Ok((html, document.claims))
            }
            Err(problems) => Err(problems.iter().map(|p| format!("{p} | {}", p.help.clone().unwrap_or_default())).collect()),
        }
    }

    const PRIMES: &str = "```demo\nname = \"primes\"\nn = 20000\n```\n";

    #[test]
    fn a_claim_becomes_a_badge_with_its_run() {
        let (html, claims) = read(&format!("Threads finish sooner {{{{#claim primes threads faster python=same}}}}.\n\n{PRIMES}")).unwrap();
        assert!(html.contains("<p>Threads finish sooner <span class=\"claim\" data-claim=\"\" data-claim-demo=\"primes\""), "{html}");
        assert!(html.contains("</span></span>.</p>") && !html.contains("{{#claim"), "{html}");
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0].run_params["n"], json!(20000));
        assert_eq!(claims[0].claim.mode, "threads");
    }

    #[test]
    fn a_claim_the_parser_splits_is_read_whole() {
        // Smart punctuation splits text at `-` and quotes; a claim is read across the pieces.
        let text = "The pipeline \"overlaps\" {{#claim hybrid async-processes faster python=faster}} -- see.\n\n```demo\nname = \"hybrid\"\n```\n";
        let (html, claims) = read(text).unwrap();
        assert_eq!(claims[0].claim.mode, "async-processes");
        assert!(html.contains("“overlaps” <span class=\"claim\"") && html.contains("</span></span> – see."), "{html}");
    }

    #[test]
    fn a_claim_wrapped_over_lines_is_read_whole_and_other_lines_stay_as_they_were() {
        let text = "Waits overlap\n{{#claim gil threads faster\n  python=faster work=io}} and\nthe rest.\n\nPlain\nlines.\n\n```demo\nname = \"gil\"\nwork = \"io\"\n```\n";
        let (html, claims) = read(text).unwrap();
        assert_eq!((claims[0].claim.python.map(|v| v.name()), claims[0].run_params["work"].as_str()), (Some("faster"), Some("io")));
        assert!(html.contains("<p>Waits overlap\n<span class=\"claim\"") && html.contains("</span></span> and\nthe rest.</p>"), "{html}");
        assert!(html.contains("<p>Plain\nlines.</p>"), "{html}");
        let problems = read("# T\n\nSo {{#claim gil threads\n  sooner}}.\n\n```demo\nname = \"gil\"\n```\n").unwrap_err();
        assert!(problems[0].starts_with("content/ch.md:4:3: error: unknown verdict `sooner`"), "{problems:?}");
    }

    #[test]
    fn claims_are_read_in_lists_tables_and_after_emphasis() {
        let text = "- *Threads* {{#claim primes threads faster}}\n\n| mode | claim |\n|---|---|\n| async | {{#claim primes async same}} |\n\n**So** it is: {{#claim primes processes faster}}\n\n```demo\nname = \"primes\"\n```\n";
        let (html, claims) = read(text).unwrap();
        let modes: Vec<&str> = claims.iter().map(|c| c.claim.mode).collect();
        assert_eq!(modes, ["threads", "async", "processes"]);
        assert!(html.contains("<li><em>Threads</em> <span class=\"claim\"") && html.contains("<td><span class=\"claim\""), "{html}");
    }

    #[test]
    fn the_block_whose_parameters_agree_is_the_one_the_claim_is_about() {
        let text = "{{#claim gil threads faster work=io}}\n\n```demo\nname = \"gil\"\nwork = \"cpu\"\n```\n\n```demo\nname = \"gil\"\nwork = \"io\"\nworkers = 8\n```\n";
        let (_, claims) = read(text).unwrap();
        assert_eq!((claims[0].run_params["work"].as_str(), claims[0].run_params["workers"].as_i64()), (Some("io"), Some(8)));
    }

    #[test]
    fn a_claim_about_a_workload_runs_its_block_s_stages_and_modes() {
        let block = |stage: &str| format!("```demo\nname = \"workload\"\nitems = 8\n\n[[stage]]\n{stage}\n```\n");
        let text = format!("{{{{#claim workload async-pool faster}}}}\n\n{}", block("kind = \"blocking\"\nms = 5"));
        let (_, claims) = read(&text).unwrap();
        assert_eq!(claims[0].run_params["stages"], json!([{ "kind": "blocking", "on": "consumer", "ms": 5 }]));
        assert_eq!(claims[0].run_params["items"], json!(8));
        let text = format!("# T\n\n{{{{#claim workload async-pool faster}}}}\n\n{}", block("kind = \"wait\"\nmean_ms = 5"));
        let problems = read(&text).unwrap_err();
        assert!(problems[0].starts_with("content/ch.md:3:1: error: the `workload` demo on this page does not run `async-pool`"), "{problems:?}");
    }

    #[test]
    fn claims_in_code_and_escaped_claims_stay_text() {
        let text = format!("`{{{{#claim nope x y}}}}` and \\{{{{#claim nope x y}}}}\n\n    {{{{#claim nope x y}}}}\n\n```text\n{{{{#claim nope x y}}}}\n```\n\n{PRIMES}");
        let (html, claims) = read(&text).unwrap();
        assert!(claims.is_empty());
        assert_eq!(html.matches("{{#claim nope x y}}").count(), 4, "{html}");
    }

    #[test]
    fn a_demo_not_on_the_page_is_located_and_explained() {
        let problems = read(&format!("# T\n\nSo {{{{#claim gil threads same}}}}.\n\n{PRIMES}")).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("content/ch.md:3:4: error: the `gil` demo is not on this page"), "{problems:?}");
        assert!(problems[0].contains("demos on this page: primes"), "{problems:?}");
        let problems = read("So {{#claim gil threads same}}.\n").unwrap_err();
        assert!(problems[0].contains("add a ```demo block with name = \"gil\""), "{problems:?}");
    }

    #[test]
    fn a_mode_the_block_does_not_run_is_refused() {
        let block = "```demo\nname = \"primes\"\nmodes = [\"sequential\", \"async\"]\n```\n";
        let problems = read(&format!("{{{{#claim primes threads faster}}}}\n\n{block}")).unwrap_err();
        assert!(problems[0].contains("error: the `primes` demo on this page does not run `threads`"), "{problems:?}");
        assert!(problems[0].contains("its block runs sequential, async: add `threads` to its `modes`"), "{problems:?}");
        let block = "```demo\nname = \"primes\"\nmodes = [\"threads\", \"async\"]\n```\n";
        let problems = read(&format!("{{{{#claim primes threads faster}}}}\n\n{block}")).unwrap_err();
        assert!(problems[0].contains("does not run `sequential`, which `threads` is measured against"), "{problems:?}");
    }

    #[test]
    fn problems_inside_a_claim_point_at_the_word() {
        let problems = read(&format!("Text\n\nThreads {{{{#claim primes threads quicker}}}}\n\n{PRIMES}")).unwrap_err();
        assert!(problems[0].starts_with("content/ch.md:3:33: error: unknown verdict `quicker`"), "{problems:?}");
        assert!(problems[0].contains("valid verdicts: faster, same, slower, loses, exact"), "{problems:?}");
    }
}
