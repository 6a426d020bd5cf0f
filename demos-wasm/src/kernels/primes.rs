//! Counting the primes below `n` as a set of independent tasks: `n` is split into chunks, each
//! chunk is sieved on its own (a segmented sieve of Eratosthenes), and the counts are added up.

use std::ops::Range;

/// Odd numbers sieved at once: 32 KiB of flags, small enough to stay in a core's cache.
const SEGMENT_ODDS: usize = 32 * 1024;

/// The primes up to and including `limit`, by a plain sieve of Eratosthenes.
fn primes_up_to(limit: u64) -> Vec<u64> {
    let Ok(limit) = usize::try_from(limit) else {
        panic!("cannot sieve up to {limit} on this platform");
    };
    let mut is_prime = vec![true; limit + 1];
    let mut primes = Vec::new();
    for candidate in 2..=limit {
        if is_prime[candidate] {
            primes.push(candidate as u64);
            let mut multiple = candidate * candidate;
            while multiple <= limit {
                is_prime[multiple] = false;
                multiple += candidate;
            }
        }
    }
    primes
}

/// How many primes lie in `range` (`start` included, `end` excluded).
///
/// Each call is self-contained: it finds its own sieving primes up to √end, so chunks can run
/// on any thread, worker or event-loop turn in any order.
pub fn count_primes_in(range: Range<u64>) -> u64 {
    let Range { start, end } = range;
    if end <= start {
        return 0;
    }
    let mut count = u64::from(start <= 2 && 2 < end);

    // Only odd numbers from 3 up are sieved; flag i of a segment stands for `segment_start + 2i`.
    let first_odd = start.max(3) | 1;
    if first_odd >= end {
        return count;
    }
    let odd_sieving_primes: Vec<u64> = primes_up_to((end - 1).isqrt()).into_iter().skip(1).collect();
    let mut flags = vec![true; SEGMENT_ODDS];
    let mut segment_start = first_odd;
    while segment_start < end {
        let odds_left = (end - segment_start).div_ceil(2);
        let len = SEGMENT_ODDS.min(usize::try_from(odds_left).unwrap_or(SEGMENT_ODDS));
        let segment = &mut flags[..len];
        segment.fill(true);
        let segment_end = segment_start + 2 * len as u64;
        for &prime in &odd_sieving_primes {
            let square = prime * prime;
            if square >= segment_end {
                break;
            }
            // The first odd multiple of `prime` that is in the segment and at least prime².
            let first_multiple = if square >= segment_start {
                square
            } else {
                let multiple = segment_start.div_ceil(prime) * prime;
                if multiple % 2 == 0 {
                    multiple + prime
                } else {
                    multiple
                }
            };
            // Odd multiples are 2·prime apart, which is `prime` flags.
            let mut index = ((first_multiple - segment_start) / 2) as usize;
            while index < len {
                segment[index] = false;
                index += prime as usize;
            }
        }
        count += segment.iter().filter(|&&is_prime| is_prime).count() as u64;
        segment_start = segment_end;
    }
    count
}

/// Chunk `index` of `0..n` split into `chunks` ranges (at least one).
///
/// The ranges have equal lengths (to within one). The sieve's cost per number grows only like
/// log log n, so equal lengths are close to equal costs, and any chunk is as good as another to
/// hand to an idle thread.
pub fn chunk(n: u64, chunks: u32, index: u32) -> Range<u64> {
    let chunks = u128::from(chunks.max(1));
    let boundary = |i: u128| (u128::from(n) * i.min(chunks) / chunks) as u64;
    boundary(u128::from(index))..boundary(u128::from(index) + 1)
}

/// All chunks of `0..n`, in order; together they cover it exactly once.
pub fn chunks(n: u64, chunks: u32) -> impl Iterator<Item = Range<u64>> {
    (0..chunks.max(1)).map(move |index| chunk(n, chunks, index))
}

/// How many primes are below `n`, one chunk after another on this thread.
pub fn count_primes_below(n: u64, chunk_count: u32) -> u64 {
    chunks(n, chunk_count).map(count_primes_in).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// π(x) for x = 10^0 .. 10^9.
    const PRIME_COUNTS_BELOW_POWERS_OF_TEN: [u64; 10] =
        [0, 4, 25, 168, 1_229, 9_592, 78_498, 664_579, 5_761_455, 50_847_534];

    fn is_prime(x: u64) -> bool {
        x >= 2 && (2..).take_while(|d| d * d <= x).all(|d| x % d != 0)
    }

    #[test]
    fn counts_known_values_of_pi() {
        for (k, &expected) in PRIME_COUNTS_BELOW_POWERS_OF_TEN.iter().enumerate().take(9) {
            let n = 10u64.pow(k as u32);
            assert_eq!(count_primes_in(0..n), expected, "π({n})");
        }
    }

    #[test]
    fn counts_the_default_demo_size() {
        assert_eq!(count_primes_below(5_000_000, 64), 348_513);
    }

    #[test]
    #[ignore = "takes a few seconds; run with --ignored"]
    fn counts_primes_below_a_billion() {
        assert_eq!(count_primes_below(1_000_000_000, 64), PRIME_COUNTS_BELOW_POWERS_OF_TEN[9]);
    }

    #[test]
    fn small_ranges_match_trial_division() {
        for start in 0..200 {
            for end in start..start + 120 {
                let expected = (start..end).filter(|&x| is_prime(x)).count() as u64;
                assert_eq!(count_primes_in(start..end), expected, "{start}..{end}");
            }
        }
    }

    #[test]
    fn ranges_crossing_segment_boundaries_match_trial_division() {
        let segment_span = 2 * SEGMENT_ODDS as u64;
        for start in [segment_span - 7, 3 * segment_span + 1, 1_000_003] {
            let range = start..start + 2 * segment_span + 11;
            let expected = range.clone().filter(|&x| is_prime(x)).count() as u64;
            assert_eq!(count_primes_in(range.clone()), expected, "{range:?}");
        }
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
        for n in [0, 1, 2, 7, 1_000, 1_001, 65_537, 5_000_000, 100_000_000, u64::MAX] {
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
        for n in [0, 1, 2, 3, 10, 97, 1_000, 4_099, 65_536, 65_537, 100_003, 1_234_567] {
            let whole = count_primes_in(0..n);
            for chunk_count in [1, 2, 3, 5, 8, 13, 64, 333, 4_096] {
                assert_eq!(count_primes_below(n, chunk_count), whole, "n={n} chunks={chunk_count}");
            }
        }
    }
}
