//! Seeded, realistic books: chapters of about 2,000 words with headings, lists, a table,
//! links to other chapters and 2–4 code blocks, laid out so that both `site-gen` and mdBook
//! build the same folder (and, optionally, as a Hugo site with the same pages).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Chapters per folder, so that the book has some depth.
const CHAPTERS_PER_PART: usize = 50;

const WORDS: &[&str] = &[
    "process", "thread", "worker", "task", "event", "loop", "queue", "lock", "mutex", "atomic",
    "memory", "message", "channel", "future", "promise", "await", "schedule", "core", "cache",
    "latency", "throughput", "request", "response", "socket", "buffer", "copy", "share", "isolate",
    "spawn", "join", "pool", "batch", "chunk", "result", "measure", "timeline", "interpreter",
    "program", "system", "kernel", "signal", "deadline", "budget", "priority", "fairness", "wait",
    "the", "a", "of", "and", "to", "in", "is", "that", "it", "for", "on", "with", "as", "when",
    "while", "each", "every", "some", "many", "few", "more", "less", "than", "then", "so", "but",
    "because", "which", "where", "how", "why", "not", "only", "also", "often", "rarely", "usually",
    "fast", "slow", "small", "large", "simple", "careful", "shared", "separate", "busy", "idle",
    "reader", "author", "page", "chapter", "example", "figure", "number", "answer", "question",
    "runs", "waits", "blocks", "yields", "starts", "stops", "returns", "sends", "receives", "holds",
    "computes", "reads", "writes", "checks", "counts", "splits", "merges", "grows", "shrinks",
];

const CODE: &[(&str, &[&str])] = &[
    ("python", &[
        "import concurrent.futures as cf",
        "def count(lo, hi):",
        "    return sum(1 for n in range(lo, hi) if is_prime(n))",
        "with cf.ProcessPoolExecutor() as pool:",
        "    total = sum(pool.map(count, starts, ends))",
        "async def fetch(session, url):",
        "    async with session.get(url) as r:",
        "        return await r.text()",
        "lock = threading.Lock()",
        "print(f\"{total} primes in {elapsed:.2f} s\")",
    ]),
    ("rust", &[
        "use rayon::prelude::*;",
        "fn count(range: std::ops::Range<u64>) -> usize {",
        "    range.filter(|&n| is_prime(n)).count()",
        "}",
        "let total: usize = chunks.par_iter().map(|c| count(c.clone())).sum();",
        "let counter = std::sync::atomic::AtomicU64::new(0);",
        "println!(\"{total} primes\");",
    ]),
    ("javascript", &[
        "const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });",
        "worker.postMessage({ type: 'run', lo, hi });",
        "const results = await Promise.all(tasks.map(run));",
        "performance.now() - started",
        "if (!crossOriginIsolated) showFallback();",
    ]),
    ("toml", &[
        "[book]",
        "title = \"Concurrency Lab\"",
        "[build]",
        "build-dir = \"book\"",
        "workers = 4",
    ]),
];

/// Writes a book of `pages` chapters into `dir` (which must not exist or be empty).
pub fn generate_book(dir: &Path, pages: usize, seed: u64) -> std::io::Result<()> {
    let content = dir.join("content");
    std::fs::create_dir_all(&content)?;
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"Generated book of {pages} pages\"\nauthors = [\"Generator\"]\nsrc = \"content\"\n\n[build]\nbuild-dir = \"book\"\n"),
    )?;
    let mut summary = String::from("# Summary\n\n");
    for i in 0..pages {
        let part = i / CHAPTERS_PER_PART;
        if i % CHAPTERS_PER_PART == 0 {
            let _ = writeln!(summary, "- [Part {}](part{part:03}/index.md)", part + 1);
        } else {
            let _ = writeln!(summary, "    - [{}](part{part:03}/page{i:05}.md)", title(seed, i));
        }
    }
    std::fs::write(content.join("SUMMARY.md"), summary)?;
    for i in 0..pages {
        let path = chapter_path(&content, i);
        std::fs::create_dir_all(path.parent().unwrap_or(&content))?;
        std::fs::write(path, chapter(seed, i, pages))?;
    }
    Ok(())
}

/// Writes the same chapters as a Hugo site (front matter, a minimal layout).
pub fn generate_hugo_site(dir: &Path, pages: usize, seed: u64) -> std::io::Result<()> {
    let content = dir.join("content");
    std::fs::create_dir_all(dir.join("layouts/_default"))?;
    std::fs::write(dir.join("hugo.toml"), "baseURL = \"http://localhost/\"\ntitle = \"Generated\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n[markup.highlight]\nnoClasses = false\n")?;
    std::fs::write(
        dir.join("layouts/_default/single.html"),
        "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><nav>{{ range .Site.RegularPages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav><main>{{ .Content }}</main></body></html>\n",
    )?;
    std::fs::write(dir.join("layouts/_default/list.html"), "<!DOCTYPE html><html><body>{{ .Content }}</body></html>\n")?;
    for i in 0..pages {
        let path = chapter_path(&content, i);
        std::fs::create_dir_all(path.parent().unwrap_or(&content))?;
        let path = if path.file_name().is_some_and(|n| n == "index.md") { path.with_file_name("_index.md") } else { path };
        let body = chapter(seed, i, pages).replace(".md)", "/)").replace(".md#", "/#");
        std::fs::write(path, format!("---\ntitle: \"{}\"\n---\n{body}", title(seed, i)))?;
    }
    Ok(())
}

fn chapter_path(content: &Path, i: usize) -> PathBuf {
    let part = i / CHAPTERS_PER_PART;
    if i % CHAPTERS_PER_PART == 0 {
        content.join(format!("part{part:03}/index.md"))
    } else {
        content.join(format!("part{part:03}/page{i:05}.md"))
    }
}

fn rng_for(seed: u64, i: usize) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn title(seed: u64, i: usize) -> String {
    let mut rng = rng_for(seed.wrapping_add(1), i);
    let mut words: Vec<String> = (0..rng.random_range(2..5)).map(|_| word(&mut rng).to_owned()).collect();
    if let Some(first) = words.first_mut() {
        *first = capitalise(first);
    }
    format!("{} {i}", words.join(" "))
}

fn chapter(seed: u64, i: usize, pages: usize) -> String {
    let mut rng = rng_for(seed, i);
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "# {}\n", title(seed, i));
    let sections = rng.random_range(5..8);
    let code_blocks = rng.random_range(2..=4);
    let table_at = rng.random_range(0..sections);
    for s in 0..sections {
        let _ = writeln!(out, "## {} {s}\n", capitalise(&sentence(&mut rng, 2, 5)).trim_end_matches('.'));
        for _ in 0..rng.random_range(2..4) {
            out.push_str(&paragraph(&mut rng, i, pages));
        }
        if s < code_blocks {
            let (lang, lines) = CODE[rng.random_range(0..CODE.len())];
            let _ = writeln!(out, "```{lang}");
            for _ in 0..rng.random_range(4..12) {
                let _ = writeln!(out, "{}", lines[rng.random_range(0..lines.len())]);
            }
            out.push_str("```\n\n");
        }
        if s == table_at {
            out.push_str("| mode | workers | time (ms) | speed-up |\n|---|---:|---:|---:|\n");
            for mode in ["sequential", "threads", "processes", "async"] {
                let _ = writeln!(out, "| {mode} | {} | {} | {:.1}× |", rng.random_range(1..9), rng.random_range(10..5000), rng.random_range(0.5..4.0));
            }
            out.push('\n');
        }
        if rng.random_bool(0.6) {
            let _ = writeln!(out, "### {}\n", capitalise(&sentence(&mut rng, 2, 4)).trim_end_matches('.'));
            for n in 1..=rng.random_range(3..6) {
                let marker = if s % 2 == 0 { "-".to_owned() } else { format!("{n}.") };
                let _ = writeln!(out, "{marker} {}", sentence(&mut rng, 5, 12));
            }
            out.push('\n');
            out.push_str(&paragraph(&mut rng, i, pages));
        }
    }
    out
}

fn paragraph(rng: &mut ChaCha8Rng, i: usize, pages: usize) -> String {
    let mut p = String::new();
    for k in 0..rng.random_range(4..8) {
        let mut s = sentence(rng, 8, 22);
        if k == 1 && rng.random_bool(0.5) {
            let target = rng.random_range(0..pages);
            let link = if target / CHAPTERS_PER_PART == i / CHAPTERS_PER_PART {
                format!("page{target:05}.md")
            } else {
                format!("../part{:03}/page{target:05}.md", target / CHAPTERS_PER_PART)
            };
            let link = if target % CHAPTERS_PER_PART == 0 { link.replace(&format!("page{target:05}"), "index") } else { link };
            s = format!("See [chapter {target}]({link}) for more. {s}");
        }
        if k == 2 {
            s = s.replacen(' ', " `spawn()` ", 1);
        }
        if k == 3 {
            s = s.replacen(' ', " **really** ", 1);
        }
        p.push_str(&s);
        p.push(' ');
    }
    p.push_str("\n\n");
    p
}

fn sentence(rng: &mut ChaCha8Rng, min: usize, max: usize) -> String {
    let n = rng.random_range(min..=max);
    let mut s = capitalise(word(rng));
    for _ in 1..n {
        s.push(' ');
        s.push_str(word(rng));
    }
    s.push('.');
    s
}

fn word(rng: &mut ChaCha8Rng) -> &'static str {
    WORDS[rng.random_range(0..WORDS.len())]
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_book() {
        assert_eq!(chapter(7, 3, 100), chapter(7, 3, 100));
        assert_ne!(chapter(7, 3, 100), chapter(8, 3, 100));
    }

    #[test]
    fn chapters_are_about_two_thousand_words_with_code_and_a_table() {
        for i in 0..20 {
            let text = chapter(1, i, 1000);
            let words = text.split_whitespace().count();
            assert!((1200..=3200).contains(&words), "chapter {i}: {words} words");
            let fences = text.matches("```").count() / 2;
            assert!((2..=4).contains(&fences), "chapter {i}: {fences} code blocks");
            assert!(text.contains("| mode | workers |"));
        }
    }

    #[test]
    fn generated_book_lists_every_chapter() {
        let dir = std::env::temp_dir().join(format!("book-bench-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        generate_book(&dir, 120, 1).unwrap();
        let summary = std::fs::read_to_string(dir.join("content/SUMMARY.md")).unwrap();
        assert_eq!(summary.matches("](").count(), 120);
        assert!(dir.join("content/part002/page00119.md").is_file());
        assert!(dir.join("content/part001/index.md").is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
