//! The compact text form of a term's postings: which sections hold the term, and how
//! strongly.
//!
//! Each posting is the gap from the previous section number (the first one counts from 0)
//! times four, plus the [`Weight`], written as a little-endian variable-length number in
//! URL-safe base-64 digits: a digit below 32 ends the number, a digit of 32 or more carries
//! five bits and continues it. Sections in book order are close together, so most
//! postings take one or two characters, and the result needs no escaping in JSON.

/// The base-64 digits, in value order.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Where in a section a term was found; the stronger the place, the higher the result ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weight {
    /// Once or twice in the text.
    Text = 0,
    /// Three times or more in the text.
    FrequentText = 1,
    /// In the section's heading.
    Heading = 2,
    /// In the page's title (given to the page's first section).
    Title = 3,
}

/// Appends the postings `(section, weight)`, sections in increasing order, to `out`.
pub fn encode(postings: &[(u32, Weight)], out: &mut String) {
    let mut previous = 0;
    for &(section, weight) in postings {
        push_posting(out, previous, section, weight);
        previous = section;
    }
}

/// Appends one posting to `out`, the postings of its term so far ending at `previous`.
fn push_posting(out: &mut String, previous: u32, section: u32, weight: Weight) {
    debug_assert!(section >= previous, "postings must be in section order");
    let mut value = u64::from(section - previous) * 4 + weight as u64;
    while value >= 32 {
        out.push(DIGITS[32 + (value & 31) as usize] as char);
        value >>= 5;
    }
    out.push(DIGITS[value as usize] as char);
}

/// A term's postings kept in their written form while a book is indexed, added to as the
/// sections that hold the term are read, in section order: a posting takes one or two
/// bytes here, where a `(section, weight)` pair would take eight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingList {
    /// The postings as [`encode`] writes them.
    pub text: String,
    /// The last posting's section.
    last: u32,
    /// How many postings there are.
    pub count: usize,
}

impl PostingList {
    /// Adds the posting `(section, weight)`: `section` is no lower than the last one's.
    pub fn push(&mut self, section: u32, weight: Weight) {
        push_posting(&mut self.text, self.last, section, weight);
        self.last = section;
        self.count += 1;
    }
}

/// Reads postings written by [`encode`] (the browser does the same in `theme/static/search/postings.js`;
/// the browser tests hold the two equal).
pub fn decode(text: &str) -> Option<Vec<(u32, Weight)>> {
    let mut out = Vec::new();
    let (mut value, mut shift, mut section) = (0u64, 0u32, 0u64);
    for b in text.bytes() {
        let digit = DIGITS.iter().position(|d| *d == b)? as u64;
        if shift > 40 {
            return None;
        }
        if digit >= 32 {
            value |= (digit - 32) << shift;
            shift += 5;
        } else {
            value |= digit << shift;
            section += value >> 2;
            let weight = match value & 3 {
                0 => Weight::Text,
                1 => Weight::FrequentText,
                2 => Weight::Heading,
                _ => Weight::Title,
            };
            out.push((u32::try_from(section).ok()?, weight));
            value = 0;
            shift = 0;
        }
    }
    (shift == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_built_a_posting_at_a_time_is_written_as_encode_writes_it() {
        let postings = [(3, Weight::Text), (3, Weight::Heading), (900, Weight::Title), (70_000, Weight::FrequentText)];
        let mut list = PostingList::default();
        for &(section, weight) in &postings {
            list.push(section, weight);
        }
        let mut text = String::new();
        encode(&postings, &mut text);
        assert_eq!((list.text.as_str(), list.count), (text.as_str(), 4));
        assert_eq!(decode(&list.text).unwrap(), postings);
    }

    #[test]
    fn round_trips() {
        let postings = [(0, Weight::Title), (1, Weight::Text), (7, Weight::Heading), (40_000, Weight::FrequentText), (u32::MAX, Weight::Text)];
        let mut text = String::new();
        encode(&postings, &mut text);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
        assert_eq!(decode(&text).unwrap(), postings);
    }

    #[test]
    fn neighbouring_sections_take_one_character_each() {
        let postings: Vec<(u32, Weight)> = (0..100).map(|s| (s, Weight::Text)).collect();
        let mut text = String::new();
        encode(&postings, &mut text);
        assert_eq!(text.len(), 100);
        assert_eq!(&text[..3], "AEE", "first section 0, then gaps of 1 (4 × 1 + 0)");
    }

    #[test]
    fn rejects_damaged_text() {
        assert_eq!(decode("g"), None, "a continuation digit with nothing after it");
        assert_eq!(decode("A!"), None);
    }
}
