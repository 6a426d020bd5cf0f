//! Links between the book's pages, checked: every link and image in a chapter must point
//! at a page of the book (and at an `#anchor` that page has), at a file under the source
//! folder, or at a file the build itself writes. Addresses with a scheme (`https:`,
//! `mailto:` …) point outside the book and are not fetched.
//!
//! Authors link to chapters by their Markdown files (`threads.md#the-gil`), relative to the
//! chapter they write in, as in mdBook; links to the pages (`threads.html`) work too.

use std::collections::{HashMap, HashSet};

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::html::percent_decode;
use crate::load::include::Expanded;
use crate::parse::link_refs::LinkRef;

/// Why a link does not resolve, and what would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    pub message: String,
    pub help: String,
}

/// A page links can point at.
struct TargetPage {
    /// The Markdown file, relative to the source folder, `/`-separated.
    source: String,
    anchors: HashSet<String>,
}

/// Everything a link may point at: the pages with their anchors, the source folder's
/// files, and what the build writes besides (theme files, `404.html` …).
pub struct LinkTargets {
    /// The source folder as shown in messages (`content`).
    src_shown: String,
    pages: Vec<TargetPage>,
    by_source: HashMap<String, usize>,
    by_page: HashMap<String, usize>,
    /// Files under the source folder, relative to it.
    files: HashSet<String>,
    /// Chapter files SUMMARY.md lists, drafts included.
    listed: HashSet<String>,
    /// Files the build writes, relative to the site's root.
    generated: HashSet<String>,
}

impl LinkTargets {
    /// Targets for a book whose source folder is shown as `src_shown` and holds `files`
    /// (paths relative to it, `/`-separated).
    pub fn new(src_shown: &str, files: impl IntoIterator<Item = String>) -> LinkTargets {
        LinkTargets {
            src_shown: src_shown.trim_end_matches('/').to_owned(),
            pages: Vec::new(),
            by_source: HashMap::new(),
            by_page: HashMap::new(),
            files: files.into_iter().collect(),
            listed: HashSet::new(),
            generated: HashSet::new(),
        }
    }

    /// Adds the page `page` made from `source`, with the ids its `#anchors` may name.
    pub fn add_page(&mut self, source: &str, page: &str, anchors: impl IntoIterator<Item = String>) {
        let index = self.pages.len();
        self.pages.push(TargetPage { source: source.to_owned(), anchors: anchors.into_iter().collect() });
        self.by_source.entry(source.to_owned()).or_insert(index);
        self.by_page.entry(page.to_owned()).or_insert(index);
        self.listed.insert(source.to_owned());
    }

    /// Makes `page` a second name for the page made from `source` (the front page).
    pub fn add_alias(&mut self, page: &str, source: &str) {
        if let Some(&index) = self.by_source.get(source) {
            self.by_page.entry(page.to_owned()).or_insert(index);
        }
    }

    /// Replaces the ids of the page made from `source` (its chapter was edited).
    pub fn replace_anchors(&mut self, source: &str, anchors: impl IntoIterator<Item = String>) {
        if let Some(&index) = self.by_source.get(source) {
            self.pages[index].anchors = anchors.into_iter().collect();
        }
    }

    /// Marks `source` as listed in SUMMARY.md even though it has no page (a draft).
    pub fn add_listed(&mut self, source: &str) {
        self.listed.insert(source.to_owned());
    }

    /// Adds a file the build writes, relative to the site's root.
    pub fn add_generated(&mut self, path: &str) {
        self.generated.insert(path.to_owned());
    }

    /// Checks one link written in the chapter `from` (relative to the source folder).
    pub fn check(&self, from: &str, link: &LinkRef) -> Option<LinkProblem> {
        let dest = link.dest.trim();
        if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
            return None;
        }
        let what = if link.image { "image" } else { "link to" };
        let (before, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let path = percent_decode(before.split('?').next().unwrap_or(""));
        let fragment = percent_decode(fragment);

        if path.is_empty() {
            let &here = self.by_source.get(from)?;
            return self.check_anchor(here, &fragment, || format!("{what} `{dest}`: this page"));
        }
        let base = if path.starts_with('/') { "" } else { parent(from) };
        let Some(target) = normalize(base, &path) else {
            return Some(LinkProblem {
                message: format!("{what} `{dest}` points outside the source folder {}", self.src_shown),
                help: format!("only files inside {} become part of the site; copy the file there", self.src_shown),
            });
        };
        let whose = |index: usize| {
            let source = &self.pages[index].source;
            move || format!("{what} `{dest}`: {}/{source}", self.src_shown)
        };

        if target.ends_with(".md") {
            if let Some(&index) = self.by_source.get(&target) {
                return self.check_anchor(index, &fragment, whose(index));
            }
            if self.listed.contains(&target) {
                return Some(LinkProblem {
                    message: format!("{what} `{dest}`: {}/{target} is a draft, so it has no page", self.src_shown),
                    help: "publish the chapter (remove `draft = true` from its front matter) or remove the link".to_owned(),
                });
            }
            if self.files.contains(&target) {
                return Some(LinkProblem {
                    message: format!("{what} `{dest}`: {}/{target} is not a chapter of the book, so it has no page", self.src_shown),
                    help: format!("list it in {}/SUMMARY.md, or link to a chapter that is listed", self.src_shown),
                });
            }
            return Some(self.missing(what, dest, from, &target));
        }
        if let Some(&index) = self.by_page.get(&target) {
            return self.check_anchor(index, &fragment, whose(index));
        }
        if self.files.contains(&target) || self.generated.contains(&target) {
            return None;
        }
        // A folder: the server answers with its index page.
        let index_page = if target.is_empty() { "index.html".to_owned() } else { format!("{target}/index.html") };
        if let Some(&index) = self.by_page.get(&index_page) {
            return self.check_anchor(index, &fragment, whose(index));
        }
        if self.files.contains(&index_page) || self.generated.contains(&index_page) {
            return None;
        }
        Some(self.missing(what, dest, from, &target))
    }

    fn check_anchor(&self, index: usize, fragment: &str, whose: impl FnOnce() -> String) -> Option<LinkProblem> {
        let anchors = &self.pages[index].anchors;
        if fragment.is_empty() || anchors.contains(fragment) {
            return None;
        }
        let help = match closest(fragment, anchors.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `#{near}`?"),
            None if anchors.is_empty() => "that page has no headings or ids to link to".to_owned(),
            None => {
                let mut all: Vec<&str> = anchors.iter().map(String::as_str).collect();
                all.sort_unstable();
                let shown: Vec<String> = all.iter().take(12).map(|a| format!("#{a}")).collect();
                let more = if all.len() > shown.len() { ", …" } else { "" };
                format!("the anchors on that page are: {}{more}", shown.join(", "))
            }
        };
        Some(LinkProblem { message: format!("{} has no heading or anchor `#{fragment}`", whose()), help })
    }

    fn missing(&self, what: &str, dest: &str, from: &str, target: &str) -> LinkProblem {
        let known = self.files.iter().chain(self.by_page.keys()).map(String::as_str);
        let near = closest(target, known.clone()).or_else(|| {
            // The same file name in another folder (a link written from the wrong place).
            let name = target.rsplit('/').next().unwrap_or(target);
            let mut same: Vec<&str> = known.filter(|k| k.rsplit('/').next() == Some(name)).collect();
            same.sort_unstable();
            same.first().copied()
        });
        let help = match near {
            Some(near) => format!("did you mean `{}`?", relative_path(parent(from), near)),
            None => format!("paths are relative to the chapter's own file, {}/{from}", self.src_shown),
        };
        LinkProblem { message: format!("{what} `{dest}`: there is no {}/{target}", self.src_shown), help }
    }
}

/// Checks every link of one page; problems point at the link in the file it was written in.
pub fn check_page_links(
    targets: &LinkTargets,
    from: &str,
    links: &[LinkRef],
    text: &Expanded,
    severity: Severity,
) -> Vec<Diagnostic> {
    links
        .iter()
        .filter_map(|link| {
            let problem = targets.check(from, link)?;
            let mut d = text.diagnostic(link.span.clone(), problem.message).with_help(problem.help);
            d.severity = severity;
            Some(d)
        })
        .collect()
}

/// True for `https:`, `mailto:`, `data:` and other URI schemes.
fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(colon) => {
            let scheme = &dest[..colon];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The folder of a `/`-separated path (`""` at the top).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `base` joined with `path`, `.` and `..` resolved; `None` when it climbs out of the top.
fn normalize(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The path from the folder `from_dir` to `to`, both relative to the same top.
fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The candidate nearest to `wanted` when it is near enough to be a slip of the keyboard:
/// the same but for case, or a few characters apart.
fn closest<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (wanted.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance =
            if candidate.eq_ignore_ascii_case(wanted) { 0 } else { edit_distance(wanted, candidate) };
        if distance <= limit && best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance, counted in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> LinkTargets {
        let files = ["intro.md", "guide/threads.md", "guide/README.md", "notes.md", "later.md", "images/Diagram.svg", "guide/data.csv"];
        let mut t = LinkTargets::new("content", files.map(str::to_owned));
        t.add_page("intro.md", "intro.html", ["welcome".to_owned(), "lists".to_owned()]);
        t.add_page("guide/threads.md", "guide/threads.html", ["the-gil".to_owned(), "pools".to_owned()]);
        t.add_page("guide/README.md", "guide/index.html", []);
        t.add_alias("index.html", "intro.md");
        t.add_listed("later.md");
        t.add_generated("static/style.css");
        t.add_generated("404.html");
        t
    }

    fn check(from: &str, dest: &str) -> Option<String> {
        book().check(from, &LinkRef { dest: dest.to_owned(), image: false, span: 0..0 }).map(|p| format!("{} | {}", p.message, p.help))
    }

    #[test]
    fn good_links_resolve() {
        for (from, dest) in [
            ("intro.md", "guide/threads.md"),
            ("intro.md", "guide/threads.md#the-gil"),
            ("intro.md", "guide/threads.html#pools"),
            ("intro.md", "./guide/README.md"),
            ("intro.md", "guide/"),
            ("intro.md", "guide"),
            ("intro.md", "#lists"),
            ("intro.md", ""),
            ("intro.md", "index.html#welcome"),
            ("guide/threads.md", "../intro.md#welcome"),
            ("guide/threads.md", "../images/Diagram.svg"),
            ("guide/threads.md", "data.csv?download=1"),
            ("guide/threads.md", "/static/style.css"),
            ("guide/threads.md", "../404.html"),
            ("guide/threads.md", "#the%2Dgil"),
            ("intro.md", "https://example.org/nope.md"),
            ("intro.md", "mailto:someone@example.org"),
            ("intro.md", "//example.org/x"),
            ("intro.md", "data:image/png;base64,AAAA"),
        ] {
            assert_eq!(check(from, dest), None, "{from} → {dest}");
        }
    }

    #[test]
    fn broken_links_say_what_is_missing() {
        assert_eq!(
            check("intro.md", "nope.md").unwrap(),
            "link to `nope.md`: there is no content/nope.md | paths are relative to the chapter's own file, content/intro.md"
        );
        assert_eq!(
            check("intro.md", "guide/thread.md#pools").unwrap(),
            "link to `guide/thread.md#pools`: there is no content/guide/thread.md | did you mean `guide/threads.md`?"
        );
        assert_eq!(
            check("guide/threads.md", "intro.md").unwrap(),
            "link to `intro.md`: there is no content/guide/intro.md | did you mean `../intro.md`?"
        );
        assert_eq!(
            check("intro.md", "images/diagram.svg").unwrap(),
            "link to `images/diagram.svg`: there is no content/images/diagram.svg | did you mean `images/Diagram.svg`?"
        );
        assert_eq!(
            check("intro.md", "elsewhere/zzzzzz.bin").unwrap(),
            "link to `elsewhere/zzzzzz.bin`: there is no content/elsewhere/zzzzzz.bin | paths are relative to the chapter's own file, content/intro.md"
        );
        assert!(check("intro.md", "../outside.md").unwrap().starts_with("link to `../outside.md` points outside the source folder content"));
        assert!(check("intro.md", "notes.md").unwrap().contains("content/notes.md is not a chapter of the book"));
        assert!(check("intro.md", "later.md").unwrap().contains("content/later.md is a draft"));
    }

    #[test]
    fn broken_anchors_name_the_page_and_its_anchors() {
        assert_eq!(
            check("intro.md", "guide/threads.md#the-gill").unwrap(),
            "link to `guide/threads.md#the-gill`: content/guide/threads.md has no heading or anchor `#the-gill` | did you mean `#the-gil`?"
        );
        assert_eq!(
            check("intro.md", "guide/threads.md#zzz").unwrap(),
            "link to `guide/threads.md#zzz`: content/guide/threads.md has no heading or anchor `#zzz` | the anchors on that page are: #pools, #the-gil"
        );
        assert_eq!(
            check("intro.md", "#nowhere").unwrap(),
            "link to `#nowhere`: this page has no heading or anchor `#nowhere` | the anchors on that page are: #lists, #welcome"
        );
        assert!(check("intro.md", "guide/#x").unwrap().ends_with("that page has no headings or ids to link to"));
    }

    #[test]
    fn images_are_named_as_images() {
        let t = book();
        let p = t.check("intro.md", &LinkRef { dest: "img/x.png".into(), image: true, span: 0..0 }).unwrap();
        assert!(p.message.starts_with("image `img/x.png`: there is no content/img/x.png"), "{}", p.message);
    }

    #[test]
    fn paths() {
        assert_eq!(normalize("a/b", "../c/./d.md"), Some("a/c/d.md".to_owned()));
        assert_eq!(normalize("", "../x"), None);
        assert_eq!(normalize("a", "/x/y"), Some("a/x/y".to_owned()));
        assert_eq!(relative_path("a/b", "a/c/d.md"), "../c/d.md");
        assert_eq!(relative_path("", "a.md"), "a.md");
        assert!(has_scheme("tel:123") && !has_scheme("a/b:c") && !has_scheme("1x:y"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
