//! `check`'s compatibility report: the mdBook features a book uses that have no effect in
//! site-gen (keys of `book.toml`, Handlebars templates), gathered from the warnings that
//! say so, one line each, so an author moving a book from mdBook sees them together.

use crate::core::diagnostic::Diagnostic;
use crate::load::mdbook_keys::NO_EFFECT;

/// The report's lines for `found` (a build's warnings and problems), or none when the book
/// uses no such feature.
pub fn compatibility_report(found: &[Diagnostic]) -> Vec<String> {
    let lines: Vec<String> = found
        .iter()
        .filter(|d| d.message.contains(NO_EFFECT))
        .map(|d| format!("  {}: {}", d.place(), d.message.replacen(&format!(" {NO_EFFECT}: "), " — ", 1)))
        .collect();
    if lines.is_empty() {
        return lines;
    }
    let what = if lines.len() == 1 { "feature this book uses has" } else { "features this book uses have" };
    let mut out = vec![format!("mdBook compatibility: {} mdBook {what} no effect in site-gen:", lines.len())];
    out.extend(lines);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_without_effect_are_listed_together() {
        let found = [
            Diagnostic::warning("book.toml", format!("`output.html.fold` {NO_EFFECT}: the sidebar shows every chapter, unfolded")).at("x\n[output.html.fold]\n", 2..19),
            Diagnostic::warning("content/a.md", "a broken link"),
        ];
        assert_eq!(
            compatibility_report(&found),
            ["mdBook compatibility: 1 mdBook feature this book uses has no effect in site-gen:", "  book.toml:2:1: `output.html.fold` — the sidebar shows every chapter, unfolded"]
        );
        assert!(compatibility_report(&found[1..]).is_empty());
    }
}
