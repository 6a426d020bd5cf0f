//! Counting the primes below `n` as a set of independent tasks: `0..n` is split into chunks, and
//! every number of a chunk is tested by trial division, the way the book's Python examples do it:
//! 2 is prime, even numbers are not, and an odd number is prime when no odd number from 3 up to
//! its square root divides it. Slow on purpose: the work must be large enough for the ways of
//! running it to differ by more than their overheads.

use std::ops::Range;

/// Whether the odd number `k` (at least 3) is prime: no odd divisor from 3 up to √k.
fn odd_number_is_prime(k: u32) -> bool {
    // The Python loop's `d * d <= k`, with the square root taken once.
    let limit = k.isqrt();
    let mut divisor: u32 = 3;
    while divisor <= limit {
        if k % divisor == 0 {
            return false;
        }
        divisor += 2;
    }
    true
}

/// Whether `k` is prime, by trial division.
pub fn is_prime(k: u32) -> bool {
    match k {
        0 | 1 => false,
        2 => true,
        _ if k % 2 == 0 => false,
        _ => odd_number_is_prime(k),
    }
}

/// How many primes lie in `range` (`start` included, `end` excluded).
///
/// Each call is self-contained, so chunks can run on any thread, worker or event-loop turn in
/// any order.
pub fn count_primes_in(range: Range<u32>) -> u64 {
    let Range { start, end } = range;
    if end <= start {
        return 0;
    }
    let mut count = u64::from(start <= 2 && 2 < end);
    // Odd numbers only, from 3 up.
    let mut k = start.max(3) | 1;
    while k < end {
        if odd_number_is_prime(k) {
            count += 1;
        }
        match k.checked_add(2) {
            Some(next) => k = next,
            None => break,
        }
    }
    count
}

/// Chunk `index` of `0..n` split into `chunks` ranges (at least one).
///
/// The ranges have equal lengths (to within one). Testing a large number costs more than a
/// small one, so later chunks take longer: the modes hand chunks out so that every lane gets
/// some of each (threads take the next free chunk; processes take every K-th).
pub fn chunk(n: u32, chunks: u32, index: u32) -> Range<u32> {
    let chunks = u64::from(chunks.max(1));
    let boundary = |i: u64| (u64::from(n) * i.min(chunks) / chunks) as u32;
    boundary(u64::from(index))..boundary(u64::from(index) + 1)
}

/// All chunks of `0..n`, in order; together they cover it exactly once.
pub fn chunks(n: u32, chunks: u32) -> impl Iterator<Item = Range<u32>> {
    (0..chunks.max(1)).map(move |index| chunk(n, chunks, index))
}

/// How many primes are below `n`, one chunk after another on this thread.
pub fn count_primes_below(n: u32, chunk_count: u32) -> u64 {
    chunks(n, chunk_count).map(count_primes_in).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// π(x) for x = 10^0 .. 10^7.
    const PRIME_COUNTS_BELOW_POWERS_OF_TEN: [u64; 8] = [0, 4, 25, 168, 1_229, 9_592, 78_498, 664_579];

    /// The primes up to `limit` by a sieve: a second, independent way to know the answer.
    fn sieve(limit: u32) -> Vec<bool> {
        let limit = limit as usize;
        let mut is_prime = vec![true; limit + 1];
        is_prime[0] = false;
        if limit >= 1 {
            is_prime[1] = false;
        }
        let mut p = 2;
        while p * p <= limit {
            if is_prime[p] {
                (p * p..=limit).step_by(p).for_each(|m| is_prime[m] = false);
            }
            p += 1;
        }
        is_prime
    }

    #[test]
    fn counts_known_values_of_pi() {
        // 10^7 takes about a second unoptimised; 10^6 is enough to cover every code path.
        for (k, &expected) in PRIME_COUNTS_BELOW_POWERS_OF_TEN.iter().enumerate().take(7) {
            let n = 10u32.pow(k as u32);
            assert_eq!(count_primes_in(0..n), expected, "π({n})");
        }
    }

    #[test]
    #[ignore = "takes a few seconds unoptimised; run with --ignored"]
    fn counts_the_default_demo_size_and_ten_million() {
        assert_eq!(count_primes_below(5_000_000, 64), 348_513);
        assert_eq!(count_primes_below(10_000_000, 64), PRIME_COUNTS_BELOW_POWERS_OF_TEN[7]);
    }

    #[test]
    fn is_prime_matches_a_sieve() {
        let primes = sieve(20_000);
        for k in 0..=20_000u32 {
            assert_eq!(is_prime(k), primes[k as usize], "{k}");
        }
    }

    #[test]
    fn squares_of_primes_are_not_prime() {
        for p in [3u32, 5, 7, 11, 13, 65_521] {
            assert!(!is_prime(p * p), "{p}²");
            assert!(is_prime(p), "{p}");
        }
        assert!(is_prime(4_294_967_291), "the largest 32-bit prime");
        assert!(!is_prime(u32::MAX));
    }

    #[test]
    fn small_ranges_match_the_sieve() {
        let primes = sieve(400);
        for start in 0..200u32 {
            for end in start..start + 120 {
                let expected = (start..end).filter(|&x| primes[x as usize]).count() as u64;
                assert_eq!(count_primes_in(start..end), expected, "{start}..{end}");
            }
        }
    }

    #[test]
    fn ranges_at_the_top_of_u32_end() {
        let top = u32::MAX - 10..u32::MAX;
        let expected = top.clone().filter(|&x| is_prime(x)).count() as u64;
        assert_eq!(count_primes_in(top), expected);
    }

    #[test]
    fn empty_and_reversed_ranges_have_no_primes() {
        assert_eq!(count_primes_in(10..10), 0);
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 20..10;
        assert_eq!(count_primes_in(reversed), 0);
    }

    #[test]
    fn chunks_cover_the_range_exactly_once() {
        for n in [0, 1, 2, 7, 1_000, 1_001, 65_537, 3_000_000, 20_000_000, u32::MAX] {
            for chunk_count in [1, 2, 3, 7, 64, 1_000, 4_096] {
                let ranges: Vec<_> = chunks(n, chunk_count).collect();
                assert_eq!(ranges.len(), chunk_count as usize);
                assert_eq!(ranges[0].start, 0, "n={n} chunks={chunk_count}");
                assert_eq!(ranges[ranges.len() - 1].end, n, "n={n} chunks={chunk_count}");
                for pair in ranges.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start, "n={n} chunks={chunk_count}");
                }
                let lengths = ranges.iter().map(|range| range.end - range.start);
                let (shortest, longest) = (lengths.clone().min(), lengths.max());
                assert!(longest.zip(shortest).is_some_and(|(l, s)| l - s <= 1), "n={n} chunks={chunk_count}");
            }
        }
    }

    #[test]
    fn zero_chunks_means_one() {
        assert_eq!(chunks(100, 0).collect::<Vec<_>>(), vec![0..100]);
        assert_eq!(chunk(100, 0, 0), 0..100);
    }

    #[test]
    fn chunk_past_the_last_is_empty() {
        assert!(chunk(100, 4, 4).is_empty());
        assert!(chunk(100, 4, u32::MAX).is_empty());
    }

    #[test]
    fn chunked_counts_equal_unchunked_counts() {
        for n in [0, 1, 2, 3, 10, 97, 1_000, 4_099, 65_536, 65_537, 100_003, 234_567] {
            let whole = count_primes_in(0..n);
            for chunk_count in [1, 2, 3, 5, 8, 13, 64, 333, 4_096] {
                assert_eq!(count_primes_below(n, chunk_count), whole, "n={n} chunks={chunk_count}");
            }
        }
    }
}
