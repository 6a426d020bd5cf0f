//! What a build adds around the chapters, through the real binary: mdBook's
//! `[output.html]` settings (repository and edit links, site-url, additional CSS and JS,
//! CNAME, a custom 404 page), `sitemap.xml`, canonical URLs, Open Graph tags, the favicon,
//! and the page for missing addresses.

use crate::{book, named_asset};

#[test]
fn mdbook_settings_build_without_warnings() {
    let out = book("mdbook-keys").build();
    assert_eq!(out.stderr, "", "no warnings for mdBook's keys");
}

#[test]
fn site_url_gives_canonical_urls_open_graph_and_a_sitemap() {
    let book = book("mdbook-keys");
    book.build();

    // The canonical URL and the Open Graph tags; the front matter's description wins over the
    // book's.
    let details = book.read("out/usage/details.html");
    insta::assert_snapshot!("details_metadata", metadata(&details));
    let front = book.read("out/index.html");
    assert!(front.contains(r#"<link rel="canonical" href="https://example.org/keys/">"#), "{front}");
    assert!(front.contains(r#"<meta name="description" content="A book with the mdBook settings">"#), "{front}");
    assert!(book.read("out/usage/index.html").contains(r#"<link rel="canonical" href="https://example.org/keys/usage/">"#));

    assert_eq!(
        book.read("out/sitemap.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
         \x20 <url><loc>https://example.org/keys/</loc></url>\n\
         \x20 <url><loc>https://example.org/keys/usage/</loc></url>\n\
         \x20 <url><loc>https://example.org/keys/usage/details.html</loc></url>\n\
         </urlset>\n"
    );
    assert_eq!(book.read("out/CNAME"), "keys.example.org\n");
}

#[test]
fn repository_and_edit_links() {
    let book = book("mdbook-keys");
    book.build();
    let details = book.read("out/usage/details.html");
    assert!(details.contains(r#"<a class="icon-button" id="git-repository" href="https://example.org/keys""#), "{details}");
    // `{path}` is the chapter's file from the book's root, source folder included, as in mdBook.
    assert!(
        details.contains(r#"<p class="edit-page"><a href="https://example.org/keys/edit/main/src/usage/details.md" rel="edit">Edit this page</a></p>"#),
        "{details}"
    );
    let front = book.read("out/index.html");
    assert!(front.contains(r#"href="https://example.org/keys/edit/main/src/README.md""#), "{front}");
}

#[test]
fn additional_css_and_js_are_copied_and_linked_on_every_page() {
    let book = book("mdbook-keys");
    book.build();
    assert_eq!(book.read("out/theme/custom.css"), book.read("theme/custom.css"));
    assert_eq!(book.read("out/custom.js"), book.read("custom.js"));
    let details = book.read("out/usage/details.html");
    assert!(details.contains(r#"<link rel="stylesheet" href="../theme/custom.css">"#), "{details}");
    assert!(details.contains(r#"<script src="../custom.js"></script>"#), "{details}");
    let front = book.read("out/index.html");
    assert!(front.contains(r#"<link rel="stylesheet" href="theme/custom.css">"#), "{front}");
}

#[test]
fn a_missing_additional_file_is_an_error_at_its_key() {
    let book = book("mdbook-keys");
    book.remove("custom.js");
    let out = book.check().expect_code(1);
    let stdout = &out.stdout;
    assert!(stdout.starts_with("book.toml:20:1: error: additional-js `custom.js` does not exist"), "{stdout}");
}

#[test]
fn the_book_own_404_page_uses_the_site_url_as_base() {
    let book = book("mdbook-keys");
    book.build();
    let page = book.read("out/404.html");
    assert!(page.contains(r#"<base href="/keys/">"#), "{page}");
    assert!(page.contains(r#"<h1 id="lost">Lost?</h1>"#), "input-404 is rendered: {page}");
    assert!(page.contains(r#"<a href="index.html">the start</a>"#), "{page}");
    assert!(named_asset(&page, r#"<link rel="stylesheet" href=""#, "static/style.", ".css").is_some(), "{page}");
    assert!(page.contains(r#"<div class="toc-box" data-toc-root="" data-toc-page="404.html">"#), "the sidebar is there: {page}");
    assert!(page.contains(r#"<script type="module" src="toc.js?v="#), "{page}");
    assert!(book.read("out/toc.js").contains(r#"<a href=\"usage/details.html\">"#));
    assert!(!page.contains("rel=\"canonical\""), "{page}");
    assert!(!page.contains("Edit this page"), "{page}");
}

#[test]
fn defaults_without_the_settings() {
    let book = book("basic");
    book.build();
    let site = book.path().join("out");
    assert!(!site.join("sitemap.xml").exists(), "no sitemap without site-url");
    assert!(!site.join("CNAME").exists());

    let page = book.read("out/guide/nested.html");
    let icon = named_asset(&page, r#"<link rel="icon" href="../"#, "static/favicon.", ".svg").unwrap_or_else(|| panic!("{page}"));
    assert!(page.contains(&format!(r#"<link rel="icon" href="../{icon}" type="image/svg+xml">"#)), "{page}");
    assert!(book.read(&format!("out/{icon}")).starts_with("<svg"));
    assert!(page.contains(r#"<meta property="og:title" content="Nested &quot;&gt;&lt;img src=x onerror=alert(1)&gt;">"#), "titles are escaped: {page}");
    assert!(page.contains(r#"<meta property="og:description" content="A book used by the tests">"#), "{page}");
    for absent in ["rel=\"canonical\"", "og:url", "Edit this page", "git-repository", "<base"] {
        assert!(!page.contains(absent), "{absent} without its setting: {page}");
    }

    let not_found = book.read("out/404.html");
    assert!(not_found.contains(r#"<base href="/">"#), "{not_found}");
    assert!(not_found.contains("<title>Page not found · Fixture &lt;script&gt;"), "{not_found}");
    assert!(not_found.contains(r#"<a href="index.html">Go to the start of Fixture &lt;script&gt;"#), "{not_found}");
    let style = named_asset(&not_found, r#"<link rel="stylesheet" href=""#, "static/style.", ".css");
    assert!(style.is_some_and(|style| site.join(style).is_file()), "styled like the book: {not_found}");
    assert!(not_found.contains(r#"data-toc-page="404.html""#) && not_found.contains(r#"<iframe class="toc-frame" src="toc.html""#), "with the chapters: {not_found}");
}

/// What a page says about itself to search engines and link previews: its title, description,
/// canonical URL and Open Graph tags, one a line, as they are in its `<head>`.
fn metadata(page: &str) -> String {
    let head = &page[..page.find("</head>").expect("a <head>")];
    let about = ["<title>", "<meta name=\"description\"", "<link rel=\"canonical\"", "<meta property=\"og:"];
    head.lines().filter(|line| about.iter().any(|start| line.starts_with(start))).collect::<Vec<_>>().join("\n")
}

