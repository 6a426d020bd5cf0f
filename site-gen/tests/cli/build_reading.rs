//! Whole builds of the `reading` fixture book with the real `site-gen` binary: heading
//! links, the page's table of contents, admonitions, highlighted code and the print page.

use std::collections::HashSet;

use harness::{read, BookTest};

use crate::{book, named_asset};

/// Builds a fresh copy of the fixture and returns it (the site is in `out/`).
fn built() -> BookTest {
    let book = book("reading");
    book.build();
    book
}

/// The values of every `id="…"` on a page.
fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect()
}

#[test]
fn headings_link_to_themselves() {
    let book = built();
    let page = book.read("out/reading.html");
    for id in ["reading", "admonitions", "code-in-eight-languages", "python", "a-last-subsection"] {
        assert!(page.contains(&format!("id=\"{id}\">")), "missing heading {id}");
        assert!(
            page.contains(&format!("<a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\"><span aria-hidden=\"true\">#</span></a>")),
            "no link to {id}"
        );
    }
    // The link sits after the heading, not inside it.
    assert!(page.contains("<h2 id=\"admonitions\">Admonitions</h2>\n<a class=\"anchor\""), "{page}");
}

#[test]
fn pages_with_sections_have_a_table_of_contents() {
    let book = built();
    let page = book.read("out/reading.html");
    assert!(page.contains("<nav class=\"page-toc\" aria-label=\"On this page\">"), "{page}");
    assert!(page.contains("<nav class=\"page-toc-compact\" aria-label=\"On this page\">"), "{page}");
    assert!(page.contains("<div class=\"page has-toc\">"), "{page}");
    // Sections hold their subsections; the title (h1) is not listed.
    assert!(
        page.contains("<li><a href=\"#code-in-eight-languages\">Code in eight languages</a><ol><li><a href=\"#python\">Python</a></li>"),
        "{page}"
    );
    assert!(!page.contains("<a href=\"#reading\">"), "{page}");

    // One section is not enough for a table of contents.
    let short = book.read("out/short.html");
    assert!(!short.contains("page-toc"), "{short}");
    assert!(short.contains("<div class=\"page\">"), "{short}");
}

#[test]
fn admonitions_are_call_outs_with_titles_and_icons() {
    let book = built();
    let page = book.read("out/reading.html");
    for (class, title) in [("note", "Note"), ("tip", "Tip"), ("important", "Important"), ("warning", "Warning"), ("caution", "Caution")] {
        let start = page.find(&format!("<div class=\"admonition admonition-{class}\">")).unwrap_or_else(|| panic!("no {class}"));
        let block = &page[start..start + page[start..].find("</div>").unwrap()];
        assert!(block.contains(&format!("</svg>{title}</p>")), "{block}");
        assert!(block.contains("<svg class=\"admonition-icon\"") && block.contains("aria-hidden=\"true\""), "{block}");
    }
    assert!(page.contains("<blockquote>\n<p>A plain quotation stays a quotation.</p>"), "{page}");
    assert!(!page.contains("[!"), "no marker is left in the text");
}

#[test]
fn code_is_highlighted_at_build_time() {
    let book = built();
    let page = book.read("out/reading.html");
    for (language, class) in [
        ("python", "hl-keyword"),
        ("rust", "hl-storage"),
        ("js", "hl-string"),
        ("toml", "hl-entity hl-name hl-tag"),
        ("sh", "hl-variable hl-function"),
        ("json", "hl-constant"),
        ("html", "hl-entity hl-name hl-tag"),
        ("markdown", "hl-markup"),
    ] {
        let start = page.find(&format!("<pre class=\"highlight\"><code class=\"language-{language}\">")).unwrap_or_else(|| panic!("{language} is not highlighted"));
        let block = &page[start..start + page[start..].find("</pre>").unwrap()];
        assert!(block.contains(&format!("class=\"{class}")), "{language}: no {class} in {block}");
    }
    // Unknown languages are plain, escaped code.
    assert!(page.contains("<pre><code class=\"language-nosuchlanguage\">&lt;plain&gt; &amp; escaped\n</code></pre>"), "{page}");
    // No highlighting script is shipped: only the theme's own scripts and the sidebar's.
    let scripts: Vec<&str> = page.split("<script").skip(1).collect();
    for script in &scripts {
        let src = script.split("src=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or_default();
        let quoted = format!("\"{src}\"");
        let theme = named_asset(&quoted, "\"", "static/theme.", ".js").is_some();
        let page_scripts = ["top-bar", "keys", "toc-in-view", "measured", "code-blocks"]
            .iter()
            .any(|name| named_asset(&quoted, "\"", "static/page.", &format!("/{name}.js")).is_some());
        let search = named_asset(&quoted, "\"", "static/search.", "/box.js").is_some();
        assert!(theme || page_scripts || search || src.starts_with("toc.js?v="), "unexpected script {src}: {scripts:?}");
    }
    let css = read(book.path().join("out").join(named_asset(&page, "href=\"", "static/style.", ".css").unwrap()));
    assert!(css.contains(".hl-comment") && css.contains("--hl-keyword"), "style.css colours the classes");
}

#[test]
fn the_print_page_holds_every_chapter_in_order() {
    let book = built();
    let site = book.path().join("out");
    let print = book.read("out/print.html");
    let order: Vec<usize> = ["id=\"intro\"", "id=\"reading\"", "id=\"guide-nested\"", "id=\"short\""]
        .iter()
        .map(|id| print.find(&format!("<section class=\"chapter print-chapter\" {id}")).unwrap_or_else(|| panic!("no section {id}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "chapters out of order: {order:?}");

    // Every id is unique on the page, though two chapters have a "Lists" section.
    let all = ids(&print);
    let unique: HashSet<&&str> = all.iter().collect();
    assert_eq!(all.len(), unique.len(), "duplicate ids: {all:?}");
    assert!(all.contains(&"intro--lists") && all.contains(&"guide-nested--lists"), "{all:?}");
    assert!(print.contains("href=\"#guide-nested--lists\""), "links within a chapter follow its ids");
    // Links between chapters point at the sections on this page.
    assert!(print.contains("href=\"#reading--code-in-eight-languages\""), "{print}");
    assert!(print.contains("href=\"#reading\">the reading chapter</a>"), "{print}");
    assert!(print.contains("href=\"#guide-nested--details\""), "{print}");
    assert!(print.contains("href=\"#reading--admonitions\""), "{print}");
    // Footnotes too.
    assert!(print.contains("href=\"#guide-nested--footnote-more\"") && all.contains(&"guide-nested--footnote-more"), "{print}");
    // Images in folders still load from the site's root.
    assert!(print.contains("src=\"guide/images/pic.svg\""), "{print}");
    assert!(site.join("guide/images/pic.svg").is_file());
    // Highlighting and admonitions are there as on the chapters' pages.
    assert!(print.contains("<code class=\"language-rust\">") && print.contains("admonition-warning"));
    assert!(named_asset(&print, "href=\"", "static/style.", ".css").is_some(), "{print}");
    assert!(named_asset(&print, "<link rel=\"icon\" href=\"", "static/favicon.", ".svg").is_some(), "no request for /favicon.ico: {print}");

    // Every chapter's top bar links to it.
    assert!(book.read("out/reading.html").contains("id=\"print-link\" href=\"print.html\""));
    assert!(book.read("out/guide/nested.html").contains("id=\"print-link\" href=\"../print.html\""));
}

#[test]
fn a_chapter_called_print_takes_the_print_page_s_place() {
    let book = book("reading");
    book.write("content/print.md", "# Printing\n\nAbout printers.\n");
    book.append("content/SUMMARY.md", "- [Printing](print.md)\n");
    let stderr = book.build().stderr;
    assert!(stderr.contains("warning: content/print.md: this chapter's page is print.html"), "{stderr}");
    assert!(book.read("out/print.html").contains("About printers."));
    assert!(!book.read("out/reading.html").contains("print-link"));
}

#[test]
fn demos_on_the_print_page_are_named_with_a_link_to_where_they_run() {
    let book = book("basic");
    book.build();
    let print = book.read("out/print.html");
    assert!(!print.contains("data-demo"), "no demo runs on the print page");
    assert!(!print.contains("runner.js"), "{print}");
    assert!(print.contains("<figure class=\"demo-stand-in\">\n<figcaption>"), "{print}");
    assert!(print.contains("<a href=\"demo.html\">the chapter's own page</a>"), "{print}");
    // The basic fixture's image is at the top level and stays where it is.
    assert!(print.contains("src=\"images/dot.svg\""), "{print}");
}

#[test]
fn a_book_can_turn_the_print_page_off() {
    let book = book("reading");
    book.append("book.toml", "\n[output.html.print]\nenable = false\n");
    book.build();
    let site = book.path().join("out");
    assert!(!site.join("print.html").exists(), "no print page is written");
    assert!(site.join("reading.html").is_file());
    assert!(!book.read("out/reading.html").contains("print-link"), "no page links to it");
    book.check().expect_success();
}

