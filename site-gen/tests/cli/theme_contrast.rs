//! The theme's colours meet WCAG 2 AA (contrast of at least 4.5:1 for text) in light and
//! dark: highlighted code on the code background, admonition titles and text on their
//! tinted boxes, and the page's own table of contents and heading links on the page.
//! The ratios are printed (`cargo test -p concurrency-lab --test cli theme_contrast -- --nocapture`).

use std::collections::BTreeMap;

const AA: f64 = 4.5;

fn style_css() -> String {
    harness::read(harness::repo_root().join("theme/static/style.css"))
}

/// The custom properties (`--name: #rrggbb;`) set in the rule whose selector is `selector`.
fn variables(css: &str, selector: &str) -> BTreeMap<String, String> {
    let start = css.find(&format!("{selector} {{")).unwrap_or_else(|| panic!("style.css has no `{selector}` rule"));
    let body = &css[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.split(';')
        .filter_map(|decl| {
            let decl = decl.lines().filter(|l| !l.trim_start().starts_with("/*")).collect::<Vec<_>>().join(" ");
            let (name, value) = decl.split_once(':')?;
            let (name, value) = (name.trim(), value.trim());
            (name.starts_with("--") && value.starts_with('#')).then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

fn rgb(hex: &str) -> [f64; 3] {
    let hex = hex.trim_start_matches('#');
    assert_eq!(hex.len(), 6, "colours are written #rrggbb: {hex}");
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
    [channel(0), channel(2), channel(4)]
}

fn luminance(c: [f64; 3]) -> f64 {
    let lin = |v: f64| if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `color-mix(in srgb, a p, b)`.
fn mix(a: [f64; 3], p: f64, b: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| a[i] * p + b[i] * (1.0 - p))
}

/// The admonition's tint, as style.css mixes it.
const ADMONITION_TINT: f64 = 0.07;

fn check(palette: &str, vars: &BTreeMap<String, String>, failures: &mut Vec<String>) {
    let get = |name: &str| rgb(vars.get(name).unwrap_or_else(|| panic!("{palette}: --{name} is not set")));
    let mut pairs: Vec<(String, [f64; 3], String, [f64; 3])> = Vec::new();
    for name in ["hl-comment", "hl-keyword", "hl-string", "hl-constant", "hl-function", "hl-type", "hl-tag", "hl-attr", "hl-variable", "fg"] {
        pairs.push((name.into(), get(&format!("--{name}")), "code-bg".into(), get("--code-bg")));
    }
    for kind in ["note", "tip", "important", "warning", "caution"] {
        let tinted = mix(get(&format!("--{kind}")), ADMONITION_TINT, get("--bg"));
        pairs.push((kind.into(), get(&format!("--{kind}")), format!("{kind} box"), tinted));
        pairs.push(("fg".into(), get("--fg"), format!("{kind} box"), tinted));
    }
    for name in ["fg", "muted", "accent"] {
        pairs.push((name.into(), get(&format!("--{name}")), "bg".into(), get("--bg")));
    }
    pairs.push(("accent".into(), get("--accent"), "active-bg".into(), get("--active-bg")));
    for (fg_name, fg, bg_name, bg) in pairs {
        let ratio = contrast(fg, bg);
        println!("{palette:5} --{fg_name:12} on {bg_name:15} {ratio:5.2}:1");
        if ratio < AA {
            failures.push(format!("{palette}: --{fg_name} on {bg_name} is {ratio:.2}:1, below {AA}:1"));
        }
    }
}

#[test]
fn text_colours_meet_wcag_aa_in_light_and_dark() {
    let css = style_css();
    let light = variables(&css, ":root");
    let dark = variables(&css, ":root[data-theme=\"dark\"]");
    let mut failures = Vec::new();
    check("light", &light, &mut failures);
    check("dark", &dark, &mut failures);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_system_s_dark_and_the_chosen_dark_are_the_same() {
    let css = style_css();
    let system = variables(&css, ":root:not([data-theme=\"light\"])");
    let chosen = variables(&css, ":root[data-theme=\"dark\"]");
    assert!(system.len() > 20, "{system:?}");
    assert_eq!(system, chosen);
    let light = variables(&css, ":root");
    let missing: Vec<&String> = light.keys().filter(|k| !chosen.contains_key(*k)).collect();
    assert!(missing.is_empty(), "colours without a dark value: {missing:?}");
}

#[test]
fn the_contrast_formula_matches_known_values() {
    assert!((contrast(rgb("#000000"), rgb("#ffffff")) - 21.0).abs() < 1e-9);
    assert!((contrast(rgb("#777777"), rgb("#ffffff")) - 4.48).abs() < 0.01);
}
