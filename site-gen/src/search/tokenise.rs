//! Text to search terms, for words in any script.
//!
//! The text is split at Unicode word boundaries (UAX #29). Inside each word, the
//! characters that make up terms are letters, numbers and combining marks; anything else
//! (an apostrophe, a dot, an underscore) separates terms, so `can't` gives `can` and `t`
//! and `spawn_blocking` gives `spawn` and `blocking`.
//!
//! A word is normalised into a term: compatibility-composed (NFKC), lower-cased, with the
//! accents of the Latin, Greek and Cyrillic letters dropped (the combining marks
//! U+0300–U+036F after canonical decomposition) and `ς` written `σ`: `Über`, `über`
//! and `uber` are one term.
//!
//! Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
//! Myanmar) have no word boundaries to find, so their runs of characters are indexed as
//! overlapping pairs of characters ("bigrams"), plus the run's last character alone:
//! `并发编程` gives `并发`, `发编`, `编程` and `程`. A query for any sequence of two or
//! more characters then matches through its bigrams, and a single character matches as
//! the prefix of the terms that start with it.
//!
//! `theme/static/search/terms.js` tokenises queries by exactly these rules; the browser tests
//! hold the two equal (`window.bookSearch.terms`).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Terms longer than this (in characters) are not indexed: they are hashes and the like.
pub const MAX_TERM_CHARS: usize = 64;

/// Calls `emit` with every term of `text`, in order.
pub fn tokenise(text: &str, mut emit: impl FnMut(&str)) {
    if text.is_ascii() {
        return tokenise_ascii(text, &mut emit);
    }
    // Spaces always end words (and runs), so the text can be read space to space, each
    // stretch that is all ASCII the fast way.
    for stretch in text.split(|c: char| c.is_ascii_whitespace()) {
        if stretch.is_ascii() {
            tokenise_ascii(stretch, &mut emit);
        } else {
            tokenise_unicode(stretch, &mut emit);
        }
    }
}

/// The same terms for text that is all ASCII, faster: in ASCII, word boundaries fall
/// exactly around the runs of letters and digits.
fn tokenise_ascii(text: &str, mut emit: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut term = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i - start <= MAX_TERM_CHARS {
            term.clear();
            term.extend(bytes[start..i].iter().map(|b| b.to_ascii_lowercase() as char));
            emit(&term);
        }
    }
}

fn tokenise_unicode(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = String::new();
    let mut run = String::new();
    // Where the run of unspaced characters ends in `text`: the next one continues it
    // only if it comes right after.
    let mut run_end = usize::MAX;
    let mut term = String::new();
    let mut chars: Vec<char> = Vec::new();
    for (start, segment) in text.unicode_word_indices() {
        for (offset, c) in segment.char_indices() {
            let at = start + offset;
            if is_ignored(c) {
                if run_end == at {
                    run_end = at + c.len_utf8();
                }
                continue;
            }
            if !is_word_char(c) {
                flush_word(&mut word, &mut term, &mut emit);
                flush_run(&mut run, &mut chars, &mut term, &mut emit);
                continue;
            }
            if is_unspaced(c) {
                flush_word(&mut word, &mut term, &mut emit);
                if run_end != at {
                    flush_run(&mut run, &mut chars, &mut term, &mut emit);
                }
                run.push(c);
                run_end = at + c.len_utf8();
            } else {
                flush_run(&mut run, &mut chars, &mut term, &mut emit);
                word.push(c);
            }
        }
        flush_word(&mut word, &mut term, &mut emit);
    }
    flush_run(&mut run, &mut chars, &mut term, &mut emit);
}

/// Every term of `text`, in order (for tests and tools; the index uses [`tokenise`]).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenise(text, |t| out.push(t.to_owned()));
    out
}

fn flush_word(word: &mut String, term: &mut String, emit: &mut impl FnMut(&str)) {
    if word.is_empty() {
        return;
    }
    term.clear();
    normalise(word, term);
    word.clear();
    if !term.is_empty() && term.chars().count() <= MAX_TERM_CHARS {
        emit(term);
    }
}

/// A run of unspaced characters: its bigrams, then its last character alone.
fn flush_run(run: &mut String, chars: &mut Vec<char>, term: &mut String, emit: &mut impl FnMut(&str)) {
    if run.is_empty() {
        return;
    }
    term.clear();
    normalise(run, term);
    run.clear();
    chars.clear();
    chars.extend(term.chars());
    let mut pair = String::with_capacity(8);
    for w in chars.windows(2) {
        pair.clear();
        pair.push(w[0]);
        pair.push(w[1]);
        emit(&pair);
    }
    if let Some(last) = chars.last() {
        pair.clear();
        pair.push(*last);
        emit(&pair);
    }
}

/// Appends the normalised form of `word` to `out`.
pub fn normalise(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    let lower = word.nfkc().collect::<String>().to_lowercase();
    let folded: String = lower.nfd().filter(|c| !is_latin_accent(*c)).nfc().collect();
    out.extend(folded.chars().map(|c| if c == 'ς' { 'σ' } else { c }));
}

/// Letters, numbers and combining marks make up terms.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Invisible format characters that never separate words (soft hyphen, zero-width
/// joiner and non-joiner, word joiner, byte order mark).
pub fn is_ignored(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// The accents dropped from letters: the Combining Diacritical Marks block.
fn is_latin_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Characters of scripts written without spaces between words.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3005..=0x3007 // 々 〆 〇
        | 0x3021..=0x3029 // Hangzhou numerals
        | 0x3031..=0x3035 // kana repeat marks
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x31F0..=0x31FF // Katakana phonetic extensions
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFF9F // half-width Katakana
        | 0x20000..=0x3134F // CJK extensions B–G
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_words_are_lower_cased_and_split_at_punctuation() {
        assert_eq!(terms("The quick (\"brown\") fox can't jump 32.3 feet, right?"), [
            "the", "quick", "brown", "fox", "can", "t", "jump", "32", "3", "feet", "right"
        ]);
        assert_eq!(terms("tokio::spawn_blocking(f) and x86-64"), ["tokio", "spawn", "blocking", "f", "and", "x86", "64"]);
        assert_eq!(terms("  \n\t— … ! "), Vec::<String>::new());
    }

    #[test]
    fn accents_are_folded_whatever_their_encoding() {
        // Composed and decomposed forms, upper and lower case, all give one term.
        assert_eq!(terms("Über über U\u{308}ber uber"), ["uber", "uber", "uber", "uber"]);
        assert_eq!(terms("Café naïve RÉSUMÉ Ångström"), ["cafe", "naive", "resume", "angstrom"]);
        // Compatibility forms: ligatures, full-width letters.
        assert_eq!(terms("ﬁle Ｒｕｓｔ"), ["file", "rust"]);
        // Letters that are not an accent plus a base letter stay as they are.
        assert_eq!(terms("Straße ø æ"), ["straße", "ø", "æ"]);
    }

    #[test]
    fn cyrillic_and_greek() {
        assert_eq!(terms("Потоки и Процессы: ёлка"), ["потоки", "и", "процессы", "елка"]);
        assert_eq!(terms("ΣΥΓΧΡΟΝΙΣΜΟΣ συγχρονισμός"), ["συγχρονισμοσ", "συγχρονισμοσ"]);
    }

    #[test]
    fn chinese_and_japanese_become_bigrams() {
        assert_eq!(terms("并发编程"), ["并发", "发编", "编程", "程"]);
        assert_eq!(terms("锁"), ["锁"]);
        // Punctuation and Latin words end a run; digits too.
        assert_eq!(terms("Rust的并发，很难。第3章"), ["rust", "的并", "并发", "发", "很难", "难", "第", "3", "章"]);
        // Hiragana, Katakana and Kanji run together; half-width Katakana is widened.
        assert_eq!(terms("スレッドを使う"), ["スレ", "レッ", "ッド", "ドを", "を使", "使う", "う"]);
        assert_eq!(terms("ｽﾚｯﾄﾞ"), ["スレ", "レッ", "ッド", "ド"]);
    }

    #[test]
    fn thai_runs_become_bigrams_and_korean_words_stay_whole() {
        assert_eq!(terms("เธรด"), ["เธ", "ธร", "รด", "ด"]);
        assert_eq!(terms("스레드 동시성"), ["스레드", "동시성"]);
    }

    #[test]
    fn invisible_format_characters_do_not_split_words() {
        assert_eq!(terms("co\u{ad}operate"), ["cooperate"]);
        assert_eq!(terms("并\u{200d}发"), ["并发", "发"]);
        // A zero-width space does separate words.
        assert_eq!(terms("并\u{200b}发"), ["并", "发"]);
    }

    #[test]
    fn ascii_text_gives_the_same_terms_by_the_fast_way() {
        // Every ASCII character, in many seeded random mixes.
        let alphabet: Vec<char> = (0u8..128).map(char::from).collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let len = (seed % 40) as usize;
            let text: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Mostly letters and spaces, some of everything else.
                    match seed % 4 {
                        0 => ' ',
                        1 => char::from(b'a' + (seed >> 8) as u8 % 26),
                        _ => alphabet[(seed >> 16) as usize % 128],
                    }
                })
                .collect();
            let (mut fast, mut general) = (Vec::new(), Vec::new());
            tokenise_ascii(&text, |t| fast.push(t.to_owned()));
            tokenise_unicode(&text, |t| general.push(t.to_owned()));
            assert_eq!(fast, general, "{text:?}");
        }
        let long = "b".repeat(MAX_TERM_CHARS + 1);
        assert_eq!(terms(&format!("a {long} c")), ["a", "c"]);
    }

    #[test]
    fn reading_space_to_space_gives_the_same_terms_as_reading_the_whole_text() {
        let alphabet: Vec<char> = "aZ9 \t\n.'_-é\u{301}ü并发编程スレ,。เธ\u{e31}스\u{ad}\u{200d}\u{200b}ς—“”".chars().collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            let len = (seed % 30) as usize;
            let text: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed >> 11) as usize % alphabet.len()]
                })
                .collect();
            let mut whole = Vec::new();
            tokenise_unicode(&text, |t| whole.push(t.to_owned()));
            assert_eq!(terms(&text), whole, "{text:?}");
        }
    }

    #[test]
    fn very_long_tokens_are_left_out() {
        let hash = "a".repeat(MAX_TERM_CHARS + 1);
        assert_eq!(terms(&format!("sha {hash} done")), ["sha", "done"]);
    }
}
