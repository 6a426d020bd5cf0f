//! Math written in TeX, as books with mdBook's `mathjax-support` write it (`\( … \)` and
//! `\[ … \]`, and `$…$` and `$$…$$`), rendered to MathML when the site is built (with
//! pulldown-latex), so readers download no MathJax and pages show math without a script.
//! The TeX source stays in each formula's `<annotation>`, for copying and for assistive
//! technology. TeX that pulldown-latex cannot read is shown as its source, marked as an
//! error, and found again in the chapter's text ([`bad_formulas`]) so that the build can
//! report it at its file, line and column.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Tag, TagEnd};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

use crate::core::html::escape_text;

/// Replaces the math in `events` by MathML, keeping their number (an event's index names
/// it elsewhere): `$…$` and `$$…$$` come from the Markdown parser; `\(…\)` and `\[…\]` are
/// found in each run of text, which becomes one HTML event followed by empty text. Returns
/// whether some formula's TeX could not be read (and is shown as its source): only then need
/// the chapter be read again to place it ([`bad_formulas`]).
pub fn render_math(events: &mut [Event<'_>]) -> bool {
    let mut bad = false;
    let mut i = 0;
    let mut in_image = 0usize;
    while i < events.len() {
        match &events[i] {
            Event::Start(pulldown_cmark::Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::InlineMath(tex) => events[i] = Event::InlineHtml(mathml(tex, DisplayMode::Inline, &mut bad).into()),
            Event::DisplayMath(tex) => events[i] = Event::InlineHtml(mathml(tex, DisplayMode::Block, &mut bad).into()),
            Event::Text(_) if in_image == 0 => {
                let end = (i..events.len()).find(|&j| !matches!(events[j], Event::Text(_))).unwrap_or(events.len());
                replace_text_run(&mut events[i..end], &mut bad);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    bad
}

/// A run of text events: when it holds `\(…\)` or `\[…\]`, the first becomes the run as
/// HTML with its math rendered, and the others empty text.
fn replace_text_run(run: &mut [Event<'_>], bad: &mut bool) {
    let text: String = run.iter().map(|e| if let Event::Text(t) = e { t.as_ref() } else { "" }).collect();
    let Some(html) = text_with_math(&text, bad) else { return };
    run[0] = Event::InlineHtml(CowStr::from(html));
    for event in &mut run[1..] {
        *event = Event::Text(CowStr::Borrowed(""));
    }
}

/// `text` as HTML with each `\(…\)` and `\[…\]` rendered, or none when it holds no math.
fn text_with_math(text: &str, bad: &mut bool) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    let mut found = false;
    while let Some((start, close, mode)) = next_delimiter(rest) {
        let Some(len) = rest[start + 2..].find(close) else { break };
        escape_text(&mut out, &rest[..start]);
        out.push_str(&mathml(&rest[start + 2..start + 2 + len], mode, bad));
        rest = &rest[start + 2 + len + 2..];
        found = true;
    }
    escape_text(&mut out, rest);
    found.then_some(out)
}

/// The first `\(` or `\[` in `text`: where it starts, what closes it, and how it displays.
fn next_delimiter(text: &str) -> Option<(usize, &'static str, DisplayMode)> {
    let inline = text.find("\\(").map(|i| (i, "\\)", DisplayMode::Inline));
    let block = text.find("\\[").map(|i| (i, "\\]", DisplayMode::Block));
    match (inline, block) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// `tex` as a MathML `<math>` element, with the TeX as its annotation. TeX that cannot be
/// read is shown as its source, marked as an error, and `bad` is set. The TeX is parsed once:
/// pulldown-latex writes an inline `<merror>` rather than failing, so its events are checked
/// before they are rendered.
fn mathml(tex: &str, display_mode: DisplayMode, bad: &mut bool) -> String {
    let mut out = String::new();
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect();
    if events.iter().all(Result::is_ok) {
        let config = RenderConfig { display_mode, annotation: Some(tex.trim()), ..RenderConfig::default() };
        if push_mathml(&mut out, events.into_iter(), config).is_ok() {
            return out;
        }
        out.clear();
    }
    *bad = true;
    out.push_str("<code class=\"math-error\">");
    escape_text(&mut out, tex);
    out.push_str("</code>");
    out
}

/// What pulldown-latex finds wrong first in `tex` (its own words, without the excerpt it
/// adds), or none when it reads it all.
fn tex_problem(tex: &str) -> Option<String> {
    let storage = Storage::new();
    let error = Parser::new(tex, &storage).find_map(Result::err)?;
    let text = error.to_string();
    let first_line = text.lines().next().unwrap_or_default();
    Some(first_line.trim_start_matches("parsing error: ").trim().to_owned())
}

/// A formula pulldown-latex cannot read: where it is in the Markdown (from its opening
/// delimiter to its closing one) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFormula {
    pub span: Range<usize>,
    pub problem: String,
}

/// Every formula in `markdown` (read with `options`, math on) that pulldown-latex cannot
/// read, in order: the same formulas [`render_math`] shows as source, with where they are.
pub fn bad_formulas(markdown: &str, options: Options) -> Vec<BadFormula> {
    let mut found = Vec::new();
    let mut run: Vec<(String, Range<usize>)> = Vec::new();
    let mut hidden = 0usize;
    for (event, span) in pulldown_cmark::Parser::new_ext(markdown, options).into_offset_iter() {
        if !matches!(event, Event::Text(_)) {
            found.extend(bad_in_text_run(markdown, &run));
            run.clear();
        }
        match event {
            Event::Start(Tag::Image { .. } | Tag::CodeBlock(_)) => hidden += 1,
            Event::End(TagEnd::Image | TagEnd::CodeBlock) => hidden = hidden.saturating_sub(1),
            Event::InlineMath(tex) | Event::DisplayMath(tex) => found.extend(tex_problem(&tex).map(|problem| BadFormula { span, problem })),
            Event::Text(text) if hidden == 0 => run.push((text.into_string(), span)),
            _ => {}
        }
    }
    found.extend(bad_in_text_run(markdown, &run));
    found
}

/// The bad `\(…\)` and `\[…\]` formulas in a run of text events of `markdown`, each with
/// its place in the Markdown: a piece's offsets are exact when it is the source as written,
/// else the formula is placed at the piece's start. An opening delimiter is written `\\(`:
/// its first backslash escapes the second and the text starts after it, so the formula
/// starts one byte earlier.
fn bad_in_text_run(markdown: &str, run: &[(String, Range<usize>)]) -> Vec<BadFormula> {
    let text: String = run.iter().map(|(t, _)| t.as_str()).collect();
    let source_of = |offset: usize| {
        let mut start = 0;
        for (piece, span) in run {
            if offset < start + piece.len() {
                let exact = span.len() == piece.len();
                return if exact { span.start + (offset - start) } else { span.start };
            }
            start += piece.len();
        }
        run.last().map_or(0, |(_, span)| span.end)
    };
    let mut found = Vec::new();
    let mut at = 0;
    while let Some((start, close, _)) = next_delimiter(&text[at..]) {
        let open = at + start;
        let Some(len) = text[open + 2..].find(close) else { break };
        let end = open + 2 + len + 2;
        if let Some(problem) = tex_problem(&text[open + 2..open + 2 + len]) {
            let start = source_of(open);
            let start = if markdown[..start].ends_with('\\') { start - 1 } else { start };
            found.push(BadFormula { span: start..source_of(end - 1) + 1, problem });
        }
        at = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's HTML for `markdown`, and whether rendering met TeX it could not read.
    fn rendered_and_bad(markdown: &str) -> (String, bool) {
        let options = pulldown_cmark::Options::ENABLE_MATH;
        let mut events: Vec<Event> = pulldown_cmark::Parser::new_ext(markdown, options).collect();
        let count = events.len();
        let bad = render_math(&mut events);
        assert_eq!(events.len(), count, "the events keep their number");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        (html, bad)
    }

    fn rendered(markdown: &str) -> String {
        rendered_and_bad(markdown).0
    }

    #[test]
    fn every_delimiter_becomes_mathml_with_its_tex() {
        let html = rendered("Inline $x^2$, \\\\( \\frac{a}{b} \\\\) and\n\n$$\\sum_i i$$\n\n\\\\[ y = 1 \\\\]\n");
        assert_eq!(html.matches("<math").count(), 4, "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        assert!(html.contains("<annotation encoding=\"application/x-tex\">\\frac{a}{b}</annotation>"), "{html}");
        assert!(!html.contains("\\("), "{html}");
    }

    #[test]
    fn text_around_math_is_escaped_and_unclosed_delimiters_stay_text() {
        let html = rendered("a < b \\\\( c \\\\) & d\n\nonly \\\\( open\n");
        assert!(html.contains("a &lt; b <math"), "{html}");
        assert!(html.contains("</math> &amp; d"), "{html}");
        assert!(html.contains("only \\( open"), "{html}");
    }

    #[test]
    fn images_keep_their_text_as_alt() {
        let html = rendered("![a \\\\( b \\\\)](x.png)\n");
        assert!(html.contains("alt=\"a \\( b \\)\""), "{html}");
    }

    /// The text of each bad formula found in `markdown`, as located, with its problem.
    fn located(markdown: &str) -> Vec<(&str, String)> {
        let options = Options::ENABLE_MATH | Options::ENABLE_TABLES;
        bad_formulas(markdown, options).into_iter().map(|b| (&markdown[b.span], b.problem)).collect()
    }

    #[test]
    fn a_bad_inline_formula_is_located_with_pulldown_latex_s_words() {
        let found = located("Good $x^2$ and bad $\\left( x$ here.\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "$\\left( x$");
        assert!(found[0].1.contains("unbalanced group found, expected it to be closed with `\\right`"), "{found:?}");
        assert!(!found[0].1.contains('\n') && !found[0].1.starts_with("parsing error"), "{found:?}");
    }

    #[test]
    fn bad_display_formulas_are_located_after_good_math() {
        let markdown = "$a$ \\\\( b \\\\)\n\n$$\nx^2^3\n$$\n\nThen \\\\[ \\sqrt{ \\\\] and \\\\( c \\\\).\n";
        let found = located(markdown);
        let texts: Vec<&str> = found.iter().map(|f| f.0).collect();
        assert_eq!(texts, ["$$\nx^2^3\n$$", "\\\\[ \\sqrt{ \\\\]"], "{found:?}");
        assert!(found[0].1.contains("superscript"), "{found:?}");
    }

    #[test]
    fn bad_formulas_in_lists_and_tables_are_located_and_code_is_left_alone() {
        let markdown = "- one $x$\n- two \\\\( {y \\\\)\n\n| a |\n|---|\n| $\\nope$ |\n\n```\n\\\\( {z \\\\)\n```\n\n`$\\nope$`\n";
        let found = located(markdown);
        let texts: Vec<&str> = found.iter().map(|f| f.0).collect();
        assert_eq!(texts, ["\\\\( {y \\\\)", "$\\nope$"], "{found:?}");
        assert!(found[1].1.contains("unknown primitive command"), "{found:?}");
    }

    #[test]
    fn the_page_shows_a_bad_formula_as_its_source_marked_as_an_error() {
        let (html, bad) = rendered_and_bad("Bad $x^2^3$ and good $b$.\n");
        assert!(bad, "rendering says it met bad TeX");
        assert!(html.contains("<code class=\"math-error\">x^2^3</code>"), "{html}");
        assert!(!html.contains("<merror"), "{html}");
        assert_eq!(html.matches("<math").count(), 1, "{html}");
    }

    #[test]
    fn good_math_has_no_bad_formulas() {
        let markdown = "$x$, $$\\sum_i i$$ and \\\\( \\frac{a}{b} \\\\)\n";
        assert!(located(markdown).is_empty());
        assert!(!rendered_and_bad(markdown).1, "rendering met no bad TeX, so the chapter is not read again");
    }
}
