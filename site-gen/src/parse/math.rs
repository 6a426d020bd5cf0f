//! Math written in TeX, as books with mdBook's `mathjax-support` write it (`\( … \)` and
//! `\[ … \]`, and `$…$` and `$$…$$`), rendered to MathML when the site is built (with
//! pulldown-latex), so readers download no MathJax and pages show math without a script.
//! The TeX source stays in each formula's `<annotation>`, for copying and for assistive
//! technology.

use pulldown_cmark::{CowStr, Event, TagEnd};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

use crate::core::html::escape_text;

/// Replaces the math in `events` by MathML, keeping their number (an event's index names
/// it elsewhere): `$…$` and `$$…$$` come from the Markdown parser; `\(…\)` and `\[…\]` are
/// found in each run of text, which becomes one HTML event followed by empty text.
pub fn render_math(events: &mut [Event<'_>]) {
    let mut i = 0;
    let mut in_image = 0usize;
    while i < events.len() {
        match &events[i] {
            Event::Start(pulldown_cmark::Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::InlineMath(tex) => events[i] = Event::InlineHtml(mathml(tex, DisplayMode::Inline).into()),
            Event::DisplayMath(tex) => events[i] = Event::InlineHtml(mathml(tex, DisplayMode::Block).into()),
            Event::Text(_) if in_image == 0 => {
                let end = (i..events.len()).find(|&j| !matches!(events[j], Event::Text(_))).unwrap_or(events.len());
                replace_text_run(&mut events[i..end]);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// A run of text events: when it holds `\(…\)` or `\[…\]`, the first becomes the run as
/// HTML with its math rendered, and the others empty text.
fn replace_text_run(run: &mut [Event<'_>]) {
    let text: String = run.iter().map(|e| if let Event::Text(t) = e { t.as_ref() } else { "" }).collect();
    let Some(html) = text_with_math(&text) else { return };
    run[0] = Event::InlineHtml(CowStr::from(html));
    for event in &mut run[1..] {
        *event = Event::Text(CowStr::Borrowed(""));
    }
}

/// `text` as HTML with each `\(…\)` and `\[…\]` rendered, or none when it holds no math.
fn text_with_math(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    let mut found = false;
    while let Some((start, close, mode)) = next_delimiter(rest) {
        let Some(len) = rest[start + 2..].find(close) else { break };
        escape_text(&mut out, &rest[..start]);
        out.push_str(&mathml(&rest[start + 2..start + 2 + len], mode));
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
/// read is shown in the formula, marked as an error, as MathJax shows it.
fn mathml(tex: &str, display_mode: DisplayMode) -> String {
    let storage = Storage::new();
    let config = RenderConfig { display_mode, annotation: Some(tex.trim()), ..RenderConfig::default() };
    let mut out = String::new();
    if push_mathml(&mut out, Parser::new(tex, &storage), config).is_err() {
        out.clear();
        out.push_str("<code class=\"math-error\">");
        escape_text(&mut out, tex);
        out.push_str("</code>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(markdown: &str) -> String {
        let options = pulldown_cmark::Options::ENABLE_MATH;
        let mut events: Vec<Event> = pulldown_cmark::Parser::new_ext(markdown, options).collect();
        let count = events.len();
        render_math(&mut events);
        assert_eq!(events.len(), count, "the events keep their number");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
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
}
