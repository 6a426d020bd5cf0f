//! An inline claim as the page shows it: a small badge in the sentence, which says what the
//! claim expects until the demo beside it has run (`theme/static/demos/figure/claims-section.js`
//! then fills it in). Its attributes are the page's contract for claims:
//!
//! - `data-claim`: marks the badge;
//! - `data-claim-demo`, `data-claim-mode`, `data-claim-expect` (a verdict: faster, same, slower,
//!   loses, exact), `data-claim-baseline` (the mode speed-ups are measured against);
//! - `data-claim-python` (what the CPython twin shows), when the claim says;
//! - `data-claim-params`: the parameters the claim is about, as JSON (`{}` for none);
//! - `data-claim-status`: `waiting` until a run of the demo with those parameters decides it.

use crate::core::html::{escape_attr, escape_text};
use crate::parse::claim::Claim;

/// The badge of `claim`, as inline HTML.
pub fn claim_html(claim: &Claim) -> String {
    let mut out = String::from("<span class=\"claim\" data-claim=\"\" data-claim-demo=\"");
    escape_attr(&mut out, claim.demo.name);
    for (name, value) in [("mode", claim.mode), ("expect", claim.expect.name()), ("baseline", claim.demo.baseline)] {
        out.push_str(&format!("\" data-claim-{name}=\""));
        escape_attr(&mut out, value);
    }
    if let Some(python) = claim.python {
        out.push_str("\" data-claim-python=\"");
        escape_attr(&mut out, python.name());
    }
    out.push_str("\" data-claim-params=\"");
    escape_attr(&mut out, &serde_json::Value::Object(claim.params.clone()).to_string());
    out.push_str("\" data-claim-status=\"waiting\"><span class=\"claim-label\">Claim: </span><span class=\"claim-text\">");
    escape_text(&mut out, &expectation(claim));
    out.push_str("</span></span>");
    out
}

/// "threads at least 1.25× as fast as sequential, with work = io": what the claim expects.
pub fn expectation(claim: &Claim) -> String {
    let mut text = claim.expect.expectation(claim.mode, claim.demo.baseline);
    let params: Vec<String> = claim.params.iter().map(|(key, value)| format!("{key} = {}", value.as_str().map_or_else(|| value.to_string(), str::to_owned))).collect();
    if !params.is_empty() {
        text.push_str(&format!(", with {}", params.join(", ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::claim::find_claims;

    fn badge(text: &str) -> String {
        claim_html(&find_claims(text).remove(0).claim.unwrap())
    }

    #[test]
    fn the_badge_carries_the_claim_and_says_what_it_expects() {
        let html = badge("{{#claim gil threads faster python=faster work=io}}");
        assert_eq!(
            html,
            "<span class=\"claim\" data-claim=\"\" data-claim-demo=\"gil\" data-claim-mode=\"threads\" data-claim-expect=\"faster\" \
             data-claim-baseline=\"sequential\" data-claim-python=\"faster\" data-claim-params=\"{&quot;work&quot;:&quot;io&quot;}\" \
             data-claim-status=\"waiting\"><span class=\"claim-label\">Claim: </span><span class=\"claim-text\">threads at least 1.25× as fast \
             as sequential, with work = io</span></span>"
        );
    }

    #[test]
    fn counts_and_baselines_are_in_the_reader_s_words() {
        assert!(badge("{{#claim race unsafe loses}}").contains(">unsafe loses updates<"));
        assert!(badge("{{#claim race lock exact}}").contains(">lock ends at exactly the expected count<"));
        let hybrid = badge("{{#claim hybrid async-processes faster items=40}}");
        assert!(hybrid.contains("data-claim-baseline=\"async\"") && hybrid.contains("as fast as async, with items = 40<"), "{hybrid}");
        assert!(!badge("{{#claim primes async same}}").contains("data-claim-python"));
    }
}
