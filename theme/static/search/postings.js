// Postings as site-gen/src/search/postings.rs writes them: which sections hold a term, and how
// strongly. Each posting is the gap from the previous section (the first counts from 0) times
// four, plus the weight (0 text, 1 frequent in the text, 2 heading, 3 title), as a little-endian
// variable-length number in URL-safe base-64 digits: a digit below 32 ends the number, one of 32
// or more carries five bits and goes on. The browser tests hold this decoder equal to the Rust
// one through `window.bookSearch.postings`.

const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DIGIT_VALUE = new Map([...DIGITS].map((digit, value) => [digit, value]));

/** The postings in `text`: [section, weight, section, weight, …] (up to the first digit not of the alphabet). */
export function decode(text) {
  const out = [];
  let value = 0;
  let scale = 1;
  let section = 0;
  for (const character of text) {
    const digit = DIGIT_VALUE.get(character);
    if (digit === undefined) break;
    if (digit >= 32) {
      value += (digit - 32) * scale;
      scale *= 32;
    } else {
      value += digit * scale;
      section += Math.floor(value / 4);
      out.push(section, value % 4);
      value = 0;
      scale = 1;
    }
  }
  return out;
}
