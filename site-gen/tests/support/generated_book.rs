//! A large book made up from a seed, for measuring the search index: realistic Markdown
//! (headings, paragraphs, lists, inline and block code, links) whose words follow a
//! Zipf-like spread over English function words, the book's subject words and a long tail
//! of rarer words, with a chapter in Chinese or Russian now and then.

use std::fmt::{self, Write as _};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use site_gen::book::Book;
use site_gen::config::Config;
use site_gen::include::expand;
use site_gen::highlight::StyledScopes;
use site_gen::markdown::{render_markdown, RenderedMarkdown};
use site_gen::nav::{Navigation, CONTENTS_SCRIPT};
use site_gen::render::render_page;
use site_gen::search::index_book;
use site_gen::theme::{AssetSource, Theme};

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "it", "for", "as", "with", "on", "be", "this", "are", "by",
    "not", "or", "from", "at", "which", "but", "can", "have", "an", "one", "all", "their", "when", "more", "so",
    "if", "its", "will", "other", "than", "each", "only", "into", "then", "these", "two", "we", "may", "there",
    "what", "also", "while", "some", "no", "must", "does", "way", "first", "new", "because", "same", "time", "how",
    "where", "just", "any", "many", "after", "before", "both", "less", "most", "own", "such", "through", "without",
    "until", "between", "every", "still", "since", "even", "here", "too", "very", "would", "should", "could",
    "them", "they", "you", "your", "our", "was", "were", "has", "had", "do", "make", "makes", "takes", "gives",
    "need", "needs", "use", "uses", "run", "runs", "work", "works", "again", "once", "never", "always", "often",
];

const SUBJECT_WORDS: &[&str] = &[
    "thread", "threads", "process", "processes", "mutex", "lock", "locks", "deadlock", "scheduler", "scheduling",
    "async", "await", "future", "futures", "task", "tasks", "executor", "runtime", "channel", "channels", "message",
    "messages", "queue", "queues", "stealing", "worker", "workers", "pool", "atomic", "atomics", "memory",
    "ordering", "barrier", "semaphore", "condition", "variable", "signal", "kernel", "syscall", "context", "switch",
    "stack", "heap", "fiber", "coroutine", "green", "preemptive", "cooperative", "parallel", "parallelism",
    "concurrency", "concurrent", "race", "data", "contention", "spin", "spinlock", "wait", "waiting", "notify",
    "join", "spawn", "handle", "shared", "sharing", "ownership", "borrow", "send", "sync", "arc", "cell", "rwlock",
    "reader", "writer", "producer", "consumer", "pipeline", "throughput", "latency", "cache", "line", "core",
    "cores", "cpu", "gil", "interpreter", "python", "rust", "javascript", "webassembly", "isolation", "fork",
    "exec", "pipe", "socket", "epoll", "io", "uring", "reactor", "poll", "waker", "pin", "select", "timeout",
    "cancellation", "backpressure", "buffer", "batch", "benchmark", "speedup", "amdahl", "overhead", "granularity",
    "partition", "chunk", "split", "merge", "reduce", "iterator", "rayon", "tokio", "crossbeam", "compare",
    "exchange", "fence", "acquire", "release", "relaxed", "sequential", "consistency", "visibility", "reorder",
    "compiler", "hardware", "instruction", "primes", "sieve", "demo", "measure", "wall", "clock", "result",
    "results", "mode", "modes", "browser", "page", "main", "event", "loop", "callback", "promise", "blocking",
    "nonblocking", "starvation", "fairness", "priority", "inversion", "livelock", "lockfree", "waitfree", "queue",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tin", "ra", "vel", "sto", "pri", "dan", "ex", "qui", "bor", "nel", "fa", "gri", "hom",
    "ju", "pla", "ster", "tor", "ul", "vin", "wes", "yar", "zen", "bri", "cal", "dor", "el", "fin", "gar", "hel",
    "is", "kor", "lum", "mon", "nor", "ol", "pen", "ros", "sel", "tra", "und", "ver", "wil", "xan", "ber", "cor",
    "mi", "ne", "po", "sa", "te", "ri", "an", "on", "en", "ar", "or", "um",
];

const CHINESE_WORDS: &[&str] = &[
    "并发", "线程", "进程", "锁", "互斥", "调度", "异步", "任务", "内存", "通道", "死锁", "等待", "共享", "数据",
    "程序", "运行", "时间", "问题", "系统", "执行", "结果", "性能", "队列", "工作", "处理", "同时", "多个", "需要",
];

const CHINESE_FILLERS: &[&str] = &["的", "是", "在", "和", "了", "有", "一个", "我们", "可以", "这", "不", "会", "也", "就", "要"];

const RUSSIAN_WORDS: &[&str] = &[
    "поток", "потоки", "процесс", "процессы", "блокировка", "мьютекс", "планировщик", "задача", "задачи",
    "память", "очередь", "канал", "ожидание", "данные", "программа", "время", "система", "результат",
];

const RUSSIAN_FILLERS: &[&str] = &["и", "в", "не", "на", "что", "с", "как", "это", "по", "для", "но", "от", "так", "все"];

const CYRILLIC_SYLLABLES: &[&str] = &["ка", "ло", "мер", "тин", "ра", "вел", "сто", "при", "дан", "бор", "нел", "гри", "ста", "ник", "ова"];

/// A small, fast, seeded random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// A rank from 0 to n - 1, rank r about 1 / (r + 1) as likely as rank 0.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n - 1)
    }
}

/// The long tail of the vocabulary: made-up words of two to four syllables.
fn tail_words(count: usize, syllables: &[&str], rng: &mut Rng) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let n = rng.between(2, 4);
        let word: String = (0..n).map(|_| syllables[rng.below(syllables.len())]).collect();
        if seen.insert(word.clone()) {
            out.push(word);
        }
    }
    out
}

struct Vocabulary {
    tail: Vec<String>,
    cyrillic_tail: Vec<String>,
}

/// One chapter's words: function words, subject words, the chapter's own topic words and
/// the long tail.
struct Writer<'a> {
    rng: Rng,
    vocabulary: &'a Vocabulary,
    topic: Vec<&'a str>,
    words: usize,
}

impl Writer<'_> {
    fn word(&mut self) -> &str {
        let roll = self.rng.below(100);
        if roll < 45 {
            FUNCTION_WORDS[self.rng.zipf(FUNCTION_WORDS.len())]
        } else if roll < 65 {
            SUBJECT_WORDS[self.rng.zipf(SUBJECT_WORDS.len())]
        } else if roll < 72 {
            self.topic[self.rng.below(self.topic.len())]
        } else {
            &self.vocabulary.tail[self.rng.zipf(self.vocabulary.tail.len())]
        }
    }

    fn sentence(&mut self, out: &mut String, chapters: usize) {
        let n = self.rng.between(8, 22);
        for i in 0..n {
            let mut w = self.word().to_owned();
            if i == 0 {
                w = capitalise(&w);
            }
            if i > 0 {
                out.push(' ');
            }
            match self.rng.below(60) {
                0 => {
                    let _ = write!(out, "`{w}_{}()`", self.word());
                }
                1 => {
                    let _ = write!(out, "**{w}**");
                }
                2 => {
                    let _ = write!(out, "[{w}](../part-{}/chapter-{}.md)", self.rng.below(chapters / 100 + 1), self.rng.below(chapters));
                }
                _ => out.push_str(&w),
            }
            if i + 1 < n && self.rng.chance(0.08) {
                out.push(',');
            }
        }
        out.push('.');
        self.words += n;
    }

    fn paragraph(&mut self, out: &mut String, chapters: usize) {
        for i in 0..self.rng.between(3, 6) {
            if i > 0 {
                out.push(' ');
            }
            self.sentence(out, chapters);
        }
        out.push_str("\n\n");
    }

    fn heading(&mut self, out: &mut String, level: usize) {
        let n = self.rng.between(2, 5);
        let words: Vec<String> = (0..n).map(|_| self.word().to_owned()).collect();
        let _ = writeln!(out, "{} {}\n", "#".repeat(level), capitalise(&words.join(" ")));
        self.words += n;
    }

    fn list(&mut self, out: &mut String) {
        for _ in 0..self.rng.between(3, 6) {
            let n = self.rng.between(4, 12);
            let words: Vec<String> = (0..n).map(|_| self.word().to_owned()).collect();
            let _ = writeln!(out, "- {}", words.join(" "));
            self.words += n;
        }
        out.push('\n');
    }

    fn code(&mut self, out: &mut String) {
        out.push_str("```rust\n");
        for _ in 0..self.rng.between(4, 12) {
            let (a, b, c) = (self.word().to_owned(), self.word().to_owned(), self.word().to_owned());
            let _ = writeln!(out, "    let {a}_{b} = {c}::new({});", self.rng.below(1000));
            self.words += 3;
        }
        out.push_str("```\n\n");
    }

    /// A chapter in English of about `target` words.
    fn english(&mut self, title: &str, target: usize, chapters: usize) -> String {
        let mut out = format!("# {title}\n\n");
        self.paragraph(&mut out, chapters);
        while self.words < target {
            self.heading(&mut out, 2);
            for _ in 0..self.rng.between(2, 5) {
                match self.rng.below(10) {
                    0 => self.list(&mut out),
                    1 => self.code(&mut out),
                    2 => self.heading(&mut out, 3),
                    _ => {}
                }
                self.paragraph(&mut out, chapters);
            }
        }
        out
    }

    fn chinese_sentence(&mut self, out: &mut String) {
        for _ in 0..self.rng.between(6, 16) {
            let pick = if self.rng.chance(0.55) {
                CHINESE_WORDS[self.rng.zipf(CHINESE_WORDS.len())]
            } else {
                CHINESE_FILLERS[self.rng.below(CHINESE_FILLERS.len())]
            };
            out.push_str(pick);
            self.words += 1;
        }
        out.push_str(if self.rng.chance(0.3) { "，" } else { "。" });
    }

    fn chinese(&mut self, title: &str, target: usize) -> String {
        let mut out = format!("# {title}\n\n");
        while self.words < target {
            let n = self.rng.between(2, 4);
            let heading: String = (0..n).map(|_| CHINESE_WORDS[self.rng.below(CHINESE_WORDS.len())]).collect();
            let _ = writeln!(out, "## {heading}\n");
            for _ in 0..self.rng.between(1, 3) {
                for _ in 0..self.rng.between(3, 8) {
                    self.chinese_sentence(&mut out);
                }
                out.push_str("\n\n");
            }
        }
        out
    }

    fn russian_word(&mut self) -> String {
        match self.rng.below(10) {
            0..=3 => RUSSIAN_FILLERS[self.rng.below(RUSSIAN_FILLERS.len())].to_owned(),
            4..=6 => RUSSIAN_WORDS[self.rng.zipf(RUSSIAN_WORDS.len())].to_owned(),
            _ => self.vocabulary.cyrillic_tail[self.rng.zipf(self.vocabulary.cyrillic_tail.len())].clone(),
        }
    }

    fn russian(&mut self, title: &str, target: usize) -> String {
        let mut out = format!("# {title}\n\n");
        while self.words < target {
            let heading: Vec<String> = (0..self.rng.between(2, 4)).map(|_| self.russian_word()).collect();
            let _ = writeln!(out, "## {}\n", capitalise(&heading.join(" ")));
            for _ in 0..self.rng.between(1, 3) {
                for _ in 0..self.rng.between(3, 6) {
                    let n = self.rng.between(8, 18);
                    let words: Vec<String> = (0..n).map(|_| self.russian_word()).collect();
                    let _ = write!(out, "{}. ", capitalise(&words.join(" ")));
                    self.words += n;
                }
                out.push_str("\n\n");
            }
        }
        out
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes a book of `chapters` chapters of about `words` words each into `dir`, in parts of
/// 100 chapters (`part-P/chapter-N.md`). One chapter in 25 is in Chinese, one in 25 in Russian.
pub fn write_book(dir: &Path, chapters: usize, words: usize, seed: u64) {
    let mut rng = Rng::new(seed);
    let vocabulary = Vocabulary {
        tail: tail_words(40_000, SYLLABLES, &mut rng),
        cyrillic_tail: tail_words(3_000, CYRILLIC_SYLLABLES, &mut rng),
    };
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"Generated Book\"\nlanguage = \"en\"\n\n[build]\nbuild-dir = \"out\"\n").unwrap();

    let titles: Vec<String> = (0..chapters)
        .map(|i| {
            let mut r = Rng::new(seed ^ ((i as u64 + 1) * 0x1000_0001));
            match i % 25 {
                7 => format!("{}与{}", CHINESE_WORDS[r.below(CHINESE_WORDS.len())], CHINESE_WORDS[r.below(CHINESE_WORDS.len())]),
                13 => capitalise(&format!("{} и {}", RUSSIAN_WORDS[r.below(RUSSIAN_WORDS.len())], RUSSIAN_WORDS[r.below(RUSSIAN_WORDS.len())])),
                _ => format!(
                    "{} and {}",
                    capitalise(SUBJECT_WORDS[r.below(SUBJECT_WORDS.len())]),
                    vocabulary.tail[r.zipf(vocabulary.tail.len())]
                ),
            }
        })
        .collect();

    let mut summary = String::from("# Summary\n\n");
    for (i, title) in titles.iter().enumerate() {
        if i % 100 == 0 {
            let _ = writeln!(summary, "\n# Part {}\n", i / 100 + 1);
        }
        let _ = writeln!(summary, "- [{title}](part-{}/chapter-{i}.md)", i / 100);
    }
    std::fs::write(dir.join("content/SUMMARY.md"), summary).unwrap();

    (0..chapters).into_par_iter().for_each(|i| {
        let mut writer = Writer {
            rng: Rng::new(seed ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9)),
            vocabulary: &vocabulary,
            topic: Vec::new(),
            words: 0,
        };
        let topic: Vec<&str> = (0..8).map(|_| vocabulary.tail[writer.rng.below(vocabulary.tail.len())].as_str()).collect();
        writer.topic = topic;
        let text = match i % 25 {
            7 => writer.chinese(&titles[i], words),
            13 => writer.russian(&titles[i], words),
            _ => writer.english(&titles[i], words, chapters),
        };
        let path = dir.join(format!("content/part-{}/chapter-{i}.md", i / 100));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    });
}

/// What building the benchmark's site found.
pub struct BuiltSearch {
    pub chapters: usize,
    pub markdown_bytes: usize,
    pub sections: usize,
    pub terms: usize,
    pub files: usize,
    pub total_bytes: usize,
    pub largest_file: usize,
    pub largest_name: String,
    pub render_seconds: f64,
    pub render_cpu_seconds: f64,
    pub index_seconds: f64,
    pub index_cpu_seconds: f64,
}

/// The processor time this process has used so far, all threads together (Linux), so
/// that timings are not skewed by other work on the machine.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    ticks / 100.0
}

impl fmt::Display for BuiltSearch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} chapters, {:.1} MB of Markdown, rendered in {:.2} s ({:.2} s of processor time); search index: \
             {} sections, {} terms, {} files, {:.1} MB in all, largest file {} ({:.1} KB), built in {:.2} s \
             ({:.2} s of processor time)",
            self.chapters,
            self.markdown_bytes as f64 / 1e6,
            self.render_seconds,
            self.render_cpu_seconds,
            self.sections,
            self.terms,
            self.files,
            self.total_bytes as f64 / 1e6,
            self.largest_name,
            self.largest_file as f64 / 1024.0,
            self.index_seconds,
            self.index_cpu_seconds,
        )
    }
}

/// Renders every chapter's Markdown (in parallel, as `site-gen build` does), builds the
/// search index, and writes into `site` the index, the theme's static files and the first
/// chapter as `index.html`: a page to search from, without writing 5,000 pages.
pub fn build_search_site(book_dir: &Path, site: &Path) -> BuiltSearch {
    let (config, _) = Config::load(book_dir).unwrap();
    let book = Book::load(config).unwrap();
    let theme = Theme::load(&book.config.root, None).unwrap();

    let (started, cpu) = (Instant::now(), cpu_seconds());
    let markdown: Vec<RenderedMarkdown> = book
        .chapters
        .par_iter()
        .map(|c| {
            let path = book.config.src_dir.join(&c.source);
            let expanded = expand(&book.config.root, &path, &c.shown, c.text.clone(), c.body_start).unwrap();
            let mut rendered = render_markdown(&expanded, &StyledScopes::Everything).unwrap();
            rendered.title = expanded.title;
            rendered
        })
        .collect();
    let (render_seconds, render_cpu_seconds) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu);

    let (started, cpu) = (Instant::now(), cpu_seconds());
    let index = index_book(&book, &markdown);
    let (index_seconds, index_cpu_seconds) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu);

    for file in &index.files {
        let path = site.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.text).unwrap();
    }
    for (name, source) in &theme.assets {
        let path = site.join("static").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        match source {
            AssetSource::BuiltIn(bytes) => std::fs::write(path, bytes).unwrap(),
            AssetSource::File(file) => {
                std::fs::copy(file, path).unwrap();
            }
        }
    }
    let nav = Navigation::new(&book, false);
    std::fs::write(site.join(CONTENTS_SCRIPT), nav.script()).unwrap();
    let page = render_page(&theme, &book, &nav, 0, "index.html", &markdown[0], None).unwrap();
    std::fs::write(site.join("index.html"), page).unwrap();

    let largest = index.files.iter().max_by_key(|f| f.text.len()).unwrap();
    BuiltSearch {
        chapters: book.chapters.len(),
        markdown_bytes: book.chapters.iter().map(|c| c.text.len()).sum(),
        sections: index.sections,
        terms: index.terms,
        files: index.files.len(),
        total_bytes: index.files.iter().map(|f| f.text.len()).sum(),
        largest_file: largest.text.len(),
        largest_name: largest.path.clone(),
        render_seconds,
        render_cpu_seconds,
        index_seconds,
        index_cpu_seconds,
    }
}
