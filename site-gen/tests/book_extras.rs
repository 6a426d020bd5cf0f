//! What a build adds around the chapters, through the real binary: mdBook's
//! `[output.html]` settings (repository and edit links, site-url, additional CSS and JS,
//! CNAME, a custom 404 page), `sitemap.xml`, canonical URLs, Open Graph tags, the favicon,
//! and the page for missing addresses.

mod common;

use common::{copy_fixture, read, site_gen, text};

#[test]
fn mdbook_settings_build_without_warnings() {
    let book = copy_fixture("mdbook-keys");
    let out = site_gen(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "no warnings for mdBook's keys");
}

#[test]
fn site_url_gives_canonical_urls_open_graph_and_a_sitemap() {
    let book = copy_fixture("mdbook-keys");
    assert!(site_gen(&["build", "."], book.path()).status.success());
    let site = book.path().join("out");

    let details = read(site.join("usage/details.html"));
    for expected in [
        r#"<link rel="canonical" href="https://example.org/keys/usage/details.html">"#,
        r#"<meta property="og:url" content="https://example.org/keys/usage/details.html">"#,
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:title" content="Details">"#,
        r#"<meta property="og:site_name" content="Keys">"#,
        // The front matter's description wins over the book's.
        r#"<meta name="description" content="Details, in detail">"#,
        r#"<meta property="og:description" content="Details, in detail">"#,
    ] {
        assert!(details.contains(expected), "missing {expected}\n{details}");
    }
    let front = read(site.join("index.html"));
    assert!(front.contains(r#"<link rel="canonical" href="https://example.org/keys/">"#), "{front}");
    assert!(front.contains(r#"<meta name="description" content="A book with the mdBook settings">"#), "{front}");
    assert!(read(site.join("usage/index.html")).contains(r#"<link rel="canonical" href="https://example.org/keys/usage/">"#));

    assert_eq!(
        read(site.join("sitemap.xml")),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
         \x20 <url><loc>https://example.org/keys/</loc></url>\n\
         \x20 <url><loc>https://example.org/keys/usage/</loc></url>\n\
         \x20 <url><loc>https://example.org/keys/usage/details.html</loc></url>\n\
         </urlset>\n"
    );
    assert_eq!(read(site.join("CNAME")), "keys.example.org\n");
}

#[test]
fn repository_and_edit_links() {
    let book = copy_fixture("mdbook-keys");
    assert!(site_gen(&["build", "."], book.path()).status.success());
    let details = read(book.path().join("out/usage/details.html"));
    assert!(details.contains(r#"<a class="icon-button" id="git-repository" href="https://example.org/keys""#), "{details}");
    // `{path}` is the chapter's file from the book's root, source folder included, as in mdBook.
    assert!(
        details.contains(r#"<p class="edit-page"><a href="https://example.org/keys/edit/main/src/usage/details.md" rel="edit">Edit this page</a></p>"#),
        "{details}"
    );
    let front = read(book.path().join("out/index.html"));
    assert!(front.contains(r#"href="https://example.org/keys/edit/main/src/README.md""#), "{front}");
}

#[test]
fn additional_css_and_js_are_copied_and_linked_on_every_page() {
    let book = copy_fixture("mdbook-keys");
    assert!(site_gen(&["build", "."], book.path()).status.success());
    let site = book.path().join("out");
    assert_eq!(read(site.join("theme/custom.css")), read(book.path().join("theme/custom.css")));
    assert_eq!(read(site.join("custom.js")), read(book.path().join("custom.js")));
    let details = read(site.join("usage/details.html"));
    assert!(details.contains(r#"<link rel="stylesheet" href="../theme/custom.css">"#), "{details}");
    assert!(details.contains(r#"<script src="../custom.js"></script>"#), "{details}");
    let front = read(site.join("index.html"));
    assert!(front.contains(r#"<link rel="stylesheet" href="theme/custom.css">"#), "{front}");
}

#[test]
fn a_missing_additional_file_is_an_error_at_its_key() {
    let book = copy_fixture("mdbook-keys");
    std::fs::remove_file(book.path().join("custom.js")).unwrap();
    let out = site_gen(&["check", "."], book.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("book.toml:22:1: error: additional-js `custom.js` does not exist"), "{stdout}");
}

#[test]
fn the_book_own_404_page_uses_the_site_url_as_base() {
    let book = copy_fixture("mdbook-keys");
    assert!(site_gen(&["build", "."], book.path()).status.success());
    let page = read(book.path().join("out/404.html"));
    assert!(page.contains(r#"<base href="/keys/">"#), "{page}");
    assert!(page.contains(r#"<h1 id="lost">Lost?</h1>"#), "input-404 is rendered: {page}");
    assert!(page.contains(r#"<a href="index.html">the start</a>"#), "{page}");
    assert!(named_asset(&page, r#"<link rel="stylesheet" href=""#, "static/style.", ".css").is_some(), "{page}");
    assert!(page.contains(r#"<div class="toc-box" data-toc-root="" data-toc-page="404.html">"#), "the sidebar is there: {page}");
    assert!(page.contains(r#"<script src="toc.js?v="#), "{page}");
    assert!(read(book.path().join("out/toc.js")).contains(r#"<a href=\"usage/details.html\">"#));
    assert!(!page.contains("rel=\"canonical\""), "{page}");
    assert!(!page.contains("Edit this page"), "{page}");
}

#[test]
fn defaults_without_the_settings() {
    let book = copy_fixture("basic");
    let out = site_gen(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let site = book.path().join("out");
    assert!(!site.join("sitemap.xml").exists(), "no sitemap without site-url");
    assert!(!site.join("CNAME").exists());

    let page = read(site.join("guide/nested.html"));
    let icon = named_asset(&page, r#"<link rel="icon" href="../"#, "static/favicon.", ".svg").unwrap_or_else(|| panic!("{page}"));
    assert!(page.contains(&format!(r#"<link rel="icon" href="../{icon}" type="image/svg+xml">"#)), "{page}");
    assert!(read(site.join(icon)).starts_with("<svg"));
    assert!(page.contains(r#"<meta property="og:title" content="Nested &quot;&gt;&lt;img src=x onerror=alert(1)&gt;">"#), "titles are escaped: {page}");
    assert!(page.contains(r#"<meta property="og:description" content="A book used by the tests">"#), "{page}");
    for absent in ["rel=\"canonical\"", "og:url", "Edit this page", "git-repository", "<base"] {
        assert!(!page.contains(absent), "{absent} without its setting: {page}");
    }

    let not_found = read(site.join("404.html"));
    assert!(not_found.contains(r#"<base href="/">"#), "{not_found}");
    assert!(not_found.contains("<title>Page not found · Fixture &lt;script&gt;"), "{not_found}");
    assert!(not_found.contains(r#"<a href="index.html">Go to the start of Fixture &lt;script&gt;"#), "{not_found}");
    let style = named_asset(&not_found, r#"<link rel="stylesheet" href=""#, "static/style.", ".css");
    assert!(style.is_some_and(|style| site.join(style).is_file()), "styled like the book: {not_found}");
    assert!(not_found.contains(r#"data-toc-page="404.html""#) && not_found.contains(r#"<iframe class="toc-frame" src="toc.html""#), "with the chapters: {not_found}");
}

/// The path of the static file named by its content that `page` names right after `before`:
/// `<start><10 hex digits><end>` (`static/style.` … `.css`).
fn named_asset(page: &str, before: &str, start: &str, end: &str) -> Option<String> {
    let at = page.find(&format!("{before}{start}"))? + before.len();
    let path = &page[at..at + page[at..].find('"')?];
    let hash = path.strip_prefix(start)?.strip_suffix(end)?;
    (hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| path.to_owned())
}
