//! The intrinsic size of a chapter's images, written as `<img width height>` so that the
//! browser keeps their room while they load (the text does not jump). Raster images (PNG,
//! JPEG, GIF, WebP…) are measured from their first bytes; an SVG from its root element's
//! `width` and `height`, or its `viewBox`. Only the book's own files are measured: an
//! address with a scheme, an absolute path, or a file that is missing or unreadable gets no
//! size (the link checker reports what is missing).

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// The size in CSS pixels of the image `src` (as written in the chapter) of a page whose
/// folder in the source folder is `folder`, when it is a file of the book that can be measured.
pub fn intrinsic_size(folder: &Path, src: &str) -> Option<(u32, u32)> {
    let file = image_file(folder, src)?;
    let is_svg = file.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("svg"));
    let size = if is_svg {
        svg_size(&std::fs::read_to_string(file).ok()?)?
    } else {
        let size = imagesize::size(file).ok()?;
        (u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?)
    };
    (size.0 > 0 && size.1 > 0).then_some(size)
}

/// The file the image `src` (as written in a chapter whose folder in the source folder is
/// `folder`) is measured from: a local address, decoded; `None` for an address with a
/// scheme or an absolute path.
pub fn image_file(folder: &Path, src: &str) -> Option<PathBuf> {
    let path = src.split(['?', '#']).next()?;
    let is_local = !path.is_empty() && !path.starts_with('/') && !path.contains(':') && !path.contains('\\');
    if !is_local {
        return None;
    }
    Some(folder.join(percent_decode_str(path).decode_utf8().ok()?.as_ref()))
}

/// The size of the SVG document `text`: its root's `width` and `height` in pixels (a
/// missing one from the `viewBox`'s proportions), else the `viewBox`'s own.
pub fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..tag_end(text, start)?];
    let view_box: Option<Vec<f64>> = attribute(tag, "viewBox")
        .map(|v| v.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).filter_map(|n| n.parse().ok()).collect());
    let ratio = view_box.as_ref().filter(|v| v.len() == 4 && v[2] > 0.0 && v[3] > 0.0).map(|v| (v[2], v[3]));
    let width = attribute(tag, "width").and_then(pixels);
    let height = attribute(tag, "height").and_then(pixels);
    let (width, height) = match (width, height, ratio) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some((vw, vh))) => (vw, vh),
        _ => return None,
    };
    let round = |x: f64| (x.is_finite() && x >= 0.5 && x < f64::from(u32::MAX)).then(|| x.round() as u32);
    Some((round(width)?, round(height)?))
}

/// A length in CSS pixels (`640`, `640px`, `640.5`); none for other units and percentages.
fn pixels(value: &str) -> Option<f64> {
    let value = value.trim();
    value.strip_suffix("px").unwrap_or(value).trim().parse().ok()
}

/// The value of the attribute `name` in the start tag `tag` (`<svg …`), if it has one.
pub fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    attributes(tag).find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v)
}

/// The attributes of the start tag `tag` (from `<` up to, not including, `>`), in order.
fn attributes(tag: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = tag.trim_start_matches('<');
    // The tag's name.
    rest = rest.trim_start_matches(|c: char| !c.is_whitespace() && c != '/');
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        let after = after.trim_start();
        let Some(value) = after.strip_prefix('=') else {
            rest = after;
            return Some((name, ""));
        };
        let value = value.trim_start();
        let (found, remaining) = match value.chars().next() {
            Some(quote @ ('"' | '\'')) => match value[1..].find(quote) {
                Some(end) => (&value[1..1 + end], &value[end + 2..]),
                None => (&value[1..], ""),
            },
            _ => value.split_at(value.find(char::is_whitespace).unwrap_or(value.len())),
        };
        rest = remaining;
        Some((name, found))
    })
}

/// Where the start tag at `from` ends: its `>`, outside quoted attribute values.
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// `html` (raw HTML an author wrote) with `width` and `height` added to each `<img>` that
/// has neither and whose `src` can be measured; `None` when nothing changed. Every file
/// looked at is added to `measured`, found or not.
pub fn with_image_sizes(html: &str, folder: &Path, measured: &mut Vec<PathBuf>) -> Option<String> {
    if !html.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"<img")) {
        return None;
    }
    let mut out = String::new();
    let mut copied = 0;
    let lower = html.to_ascii_lowercase();
    for (at, _) in lower.match_indices("<img") {
        let after = lower.as_bytes().get(at + 4).copied();
        if !after.is_some_and(|b| b.is_ascii_whitespace() || b == b'/' || b == b'>') || at < copied {
            continue;
        }
        let Some(end) = tag_end(html, at) else { break };
        let tag = &html[at..end];
        if attribute(tag, "width").is_some() || attribute(tag, "height").is_some() {
            continue;
        }
        let src = attribute(tag, "src");
        measured.extend(src.and_then(|src| image_file(folder, src)));
        let Some((width, height)) = src.and_then(|src| intrinsic_size(folder, src)) else { continue };
        let insert_at = if tag.ends_with('/') { end - 1 } else { end };
        let before = html[copied..insert_at].trim_end_matches(char::is_whitespace);
        out.push_str(before);
        out.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        out.push_str(if insert_at < end { " /" } else { "" });
        copied = end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_3X2: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0,
        0, 0, 0, 0, 0, 0,
    ];

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        assert_eq!(svg_size(r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640" height="200px">"#), Some((640, 200)));
        assert_eq!(svg_size(r#"<svg viewBox="0 0 720 300" role="img">"#), Some((720, 300)));
        assert_eq!(svg_size(r#"<svg viewBox="0,0,720,300" width="360">"#), Some((360, 150)));
        assert_eq!(svg_size(r#"<svg width="100%" viewBox="0 0 720 300">"#), Some((720, 300)));
        assert_eq!(svg_size(r#"<svg width="100%">"#), None);
        assert_eq!(svg_size("<p>not an svg</p>"), None);
        assert_eq!(svg_size(r#"<svg viewBox="0 0 0 0">"#), None);
    }

    #[test]
    fn the_book_s_files_are_measured_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("images")).unwrap();
        std::fs::write(dir.path().join("images/a b.svg"), r#"<svg viewBox="0 0 80 40"></svg>"#).unwrap();
        std::fs::write(dir.path().join("images/dot.png"), PNG_3X2).unwrap();
        std::fs::write(dir.path().join("broken.png"), b"not a png").unwrap();
        assert_eq!(intrinsic_size(dir.path(), "images/a%20b.svg"), Some((80, 40)));
        assert_eq!(intrinsic_size(dir.path(), "images/dot.png?v=1#x"), Some((3, 2)));
        for src in ["broken.png", "missing.png", "https://example.org/a.png", "/images/dot.png", "data:image/png;base64,AA", ""] {
            assert_eq!(intrinsic_size(dir.path(), src), None, "{src}");
        }
    }

    #[test]
    fn raw_img_tags_get_the_size_unless_they_have_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("d.svg"), r#"<svg width="10" height="20"></svg>"#).unwrap();
        let folder = dir.path();
        assert_eq!(with_image_sizes(r#"<img src="d.svg" alt="D">"#, folder, &mut Vec::new()).unwrap(), r#"<img src="d.svg" alt="D" width="10" height="20">"#);
        assert_eq!(with_image_sizes(r#"<p><IMG alt='x > y' src=d.svg /></p>"#, folder, &mut Vec::new()).unwrap(), r#"<p><IMG alt='x > y' src=d.svg width="10" height="20" /></p>"#);
        assert_eq!(with_image_sizes(r#"<img src="d.svg" width="5">"#, folder, &mut Vec::new()), None);
        assert_eq!(with_image_sizes(r#"<img src="missing.svg"><imgx src="d.svg">"#, folder, &mut Vec::new()), None);
        assert_eq!(attribute(r#"<img data-x src = "a.png" alt=b"#, "alt"), Some("b"));
        assert_eq!(attribute(r#"<img data-x src = "a.png" alt=b"#, "src"), Some("a.png"));
    }
}
