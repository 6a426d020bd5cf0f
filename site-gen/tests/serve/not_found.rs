//! `site-gen serve` answers addresses that do not exist with the book's 404 page and
//! status 404, at any depth.

use harness::fixture;

use crate::client::get;
use crate::start;

#[test]
fn missing_pages_get_the_404_page() {
    let book = fixture("basic");
    let dest = tempfile::tempdir().unwrap();
    let server = start(&book, &dest.path().join("site"));
    let address = &server.address;

    for path in ["/no-such-page.html", "/deep/er/still-missing.html"] {
        let (status, _, body) = get(address, path);
        let body = String::from_utf8_lossy(&body);
        assert!(status.contains(" 404 "), "{path}: {status}");
        assert!(body.contains("<title>Page not found"), "{path}: {body}");
        assert!(body.contains(r#"<base href="/">"#), "{path}: links work at any depth: {body}");
    }
    let (status, _, _) = get(address, "/basics.html");
    assert!(status.contains(" 200 "), "{status}");
    drop(server);
}
