//! The words generated books are made of: the evenly spread words and code lines of the
//! benchmark's books, and, for a search index's measure, English in its natural proportions
//! (function words, the book's subject words, a long tail of rarer made-up words), Chinese and
//! Russian.

pub(super) const WORDS: &[&str] = &[
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

pub(super) const CODE: &[(&str, &[&str])] = &[
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

pub(super) const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "it", "for", "as", "with", "on", "be", "this", "are", "by",
    "not", "or", "from", "at", "which", "but", "can", "have", "an", "one", "all", "their", "when", "more", "so",
    "if", "its", "will", "other", "than", "each", "only", "into", "then", "these", "two", "we", "may", "there",
    "what", "also", "while", "some", "no", "must", "does", "way", "first", "new", "because", "same", "time", "how",
    "where", "just", "any", "many", "after", "before", "both", "less", "most", "own", "such", "through", "without",
    "until", "between", "every", "still", "since", "even", "here", "too", "very", "would", "should", "could",
    "them", "they", "you", "your", "our", "was", "were", "has", "had", "do", "make", "makes", "takes", "gives",
    "need", "needs", "use", "uses", "run", "runs", "work", "works", "again", "once", "never", "always", "often",
];

pub(super) const SUBJECT_WORDS: &[&str] = &[
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

pub(super) const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tin", "ra", "vel", "sto", "pri", "dan", "ex", "qui", "bor", "nel", "fa", "gri", "hom",
    "ju", "pla", "ster", "tor", "ul", "vin", "wes", "yar", "zen", "bri", "cal", "dor", "el", "fin", "gar", "hel",
    "is", "kor", "lum", "mon", "nor", "ol", "pen", "ros", "sel", "tra", "und", "ver", "wil", "xan", "ber", "cor",
    "mi", "ne", "po", "sa", "te", "ri", "an", "on", "en", "ar", "or", "um",
];

pub(super) const CHINESE_WORDS: &[&str] = &[
    "并发", "线程", "进程", "锁", "互斥", "调度", "异步", "任务", "内存", "通道", "死锁", "等待", "共享", "数据",
    "程序", "运行", "时间", "问题", "系统", "执行", "结果", "性能", "队列", "工作", "处理", "同时", "多个", "需要",
];

pub(super) const CHINESE_FILLERS: &[&str] = &["的", "是", "在", "和", "了", "有", "一个", "我们", "可以", "这", "不", "会", "也", "就", "要"];

pub(super) const RUSSIAN_WORDS: &[&str] = &[
    "поток", "потоки", "процесс", "процессы", "блокировка", "мьютекс", "планировщик", "задача", "задачи",
    "память", "очередь", "канал", "ожидание", "данные", "программа", "время", "система", "результат",
];

pub(super) const RUSSIAN_FILLERS: &[&str] = &["и", "в", "не", "на", "что", "с", "как", "это", "по", "для", "но", "от", "так", "все"];

pub(super) const CYRILLIC_SYLLABLES: &[&str] = &["ка", "ло", "мер", "тин", "ра", "вел", "сто", "при", "дан", "бор", "нел", "гри", "ста", "ник", "ова"];
