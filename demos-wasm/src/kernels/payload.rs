//! The payloads the ipc-cost demo sends to a worker and back: which sizes, what bytes, and the
//! checksum the receiving side computes to show that every byte arrived.
//!
//! A payload's bytes are a pure function of its size, so every mode sends the same data and
//! the receivers' checksums must agree.

use super::seeded;

/// One kilobyte, the unit of the demo's size parameters.
pub const KB: u32 = 1024;

/// The largest payload the demo sends: 64 MB. A round trip may hold a few copies of it at once
/// (the sender's, the receiver's, the reply), so this bounds what a run can ask of the tab.
pub const LARGEST_BYTES: u32 = 64 * 1024 * KB;

/// How many sizes a run may try at most.
pub const MOST_SIZES: u32 = 17;

/// `count` payload sizes in bytes, evenly spaced on a log scale from `min_kb` to `max_kb`
/// kilobytes (either order), each a whole number of kilobytes, smallest first, without repeats.
/// Sizes are clamped to 1 KB ..= 64 MB and `count` to 1 ..= 17; one size means `min_kb` alone.
pub fn sizes(min_kb: u32, max_kb: u32, count: u32) -> Vec<u32> {
    let largest_kb = LARGEST_BYTES / KB;
    let clamp = |kb: u32| kb.clamp(1, largest_kb);
    let (low, high) = (clamp(min_kb.min(max_kb)), clamp(min_kb.max(max_kb)));
    let count = count.clamp(1, MOST_SIZES);
    if count == 1 {
        return vec![clamp(min_kb) * KB];
    }
    let ratio = f64::from(high) / f64::from(low);
    let mut sizes: Vec<u32> = (0..count)
        .map(|i| {
            let kb = f64::from(low) * ratio.powf(f64::from(i) / f64::from(count - 1));
            // The ends exactly, whatever the rounding of powf.
            let kb = if i == 0 { low } else if i == count - 1 { high } else { kb.round() as u32 };
            kb.clamp(low, high) * KB
        })
        .collect();
    sizes.dedup();
    sizes
}

/// The `bytes`-byte payload: seeded pseudo-random bytes, the same for the same size.
pub fn payload(bytes: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity(bytes as usize);
    let seed = u64::from(bytes);
    let mut index = 0u64;
    while data.len() < bytes as usize {
        let word = seeded::mix(seed, index).to_le_bytes();
        let take = (bytes as usize - data.len()).min(word.len());
        data.extend_from_slice(&word[..take]);
        index += 1;
    }
    data
}

/// A 32-bit checksum of `data` (FNV-1a over little-endian 32-bit words, then the last bytes):
/// a changed, missing or moved byte changes it.
pub fn checksum(data: &[u8]) -> u32 {
    const OFFSET: u32 = 0x811C_9DC5;
    const PRIME: u32 = 0x0100_0193;
    let mut hash = OFFSET;
    let mut words = data.chunks_exact(4);
    for word in &mut words {
        hash = (hash ^ u32::from_le_bytes([word[0], word[1], word[2], word[3]])).wrapping_mul(PRIME);
    }
    for &byte in words.remainder() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(PRIME);
    }
    // The length too, so payloads of zeros of different sizes differ.
    (hash ^ data.len() as u32).wrapping_mul(PRIME)
}

/// What every mode's receivers should report for `sizes`: the sum of their payloads' checksums.
pub fn expected_total(sizes: &[u32]) -> u64 {
    sizes.iter().map(|&bytes| u64::from(checksum(&payload(bytes)))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sizes_are_powers_of_four_from_1_kb_to_64_mb() {
        let expected: Vec<u32> = (0..9).map(|i| KB << (2 * i)).collect();
        assert_eq!(sizes(1, 65_536, 9), expected);
        assert_eq!(*expected.last().unwrap(), LARGEST_BYTES);
    }

    #[test]
    fn sizes_are_whole_kilobytes_in_range_increasing_and_distinct() {
        for (min_kb, max_kb) in [(1, 1), (1, 2), (3, 1000), (1000, 3), (1, 65_536), (64, 64), (0, 100_000)] {
            for count in [0, 1, 2, 3, 9, 17, 40] {
                let list = sizes(min_kb, max_kb, count);
                assert!(!list.is_empty() && list.len() <= MOST_SIZES as usize, "{min_kb} {max_kb} {count}: {list:?}");
                assert!(list.iter().all(|&b| b % KB == 0 && (KB..=LARGEST_BYTES).contains(&b)), "{list:?}");
                assert!(list.windows(2).all(|pair| pair[0] < pair[1]), "{list:?}");
            }
        }
    }

    #[test]
    fn the_ends_are_the_bounds_given() {
        let list = sizes(3, 1000, 5);
        assert_eq!((list[0], *list.last().unwrap()), (3 * KB, 1000 * KB));
        assert_eq!(sizes(1000, 3, 5), list, "either order");
        assert_eq!(sizes(7, 500, 1), vec![7 * KB], "one size: the smallest");
        assert_eq!(sizes(5, 5, 9), vec![5 * KB], "repeats removed");
        assert_eq!(sizes(1, 2, 9), vec![KB, 2 * KB]);
    }

    #[test]
    fn steps_are_even_on_a_log_scale() {
        let list = sizes(1, 1000, 4);
        assert_eq!(list, vec![KB, 10 * KB, 100 * KB, 1000 * KB]);
    }

    #[test]
    fn payloads_have_their_size_and_depend_only_on_it() {
        for bytes in [0, 1, 7, 8, 9, 1024, 4099] {
            assert_eq!(payload(bytes).len(), bytes as usize);
            assert_eq!(payload(bytes), payload(bytes));
        }
        assert_ne!(payload(1024)[..], payload(2048)[..1024], "each size has its own bytes");
        let bytes = payload(4096);
        let distinct: std::collections::HashSet<_> = bytes.iter().collect();
        assert!(distinct.len() > 200, "the bytes look random: {}", distinct.len());
    }

    #[test]
    fn the_checksum_notices_a_changed_missing_or_moved_byte() {
        let data = payload(4096);
        let sum = checksum(&data);
        let mut changed = data.clone();
        changed[1234] ^= 1;
        assert_ne!(checksum(&changed), sum);
        assert_ne!(checksum(&data[..4095]), sum);
        let mut swapped = data.clone();
        swapped.swap(0, 4);
        assert_ne!(checksum(&swapped), sum);
        assert_ne!(checksum(&[0; 8]), checksum(&[0; 12]));
        assert_eq!(checksum(&data), sum, "the same bytes, the same checksum");
    }

    #[test]
    fn the_expected_total_adds_up_the_checksums() {
        let list = sizes(1, 16, 3);
        let by_hand: u64 = list.iter().map(|&b| u64::from(checksum(&payload(b)))).sum();
        assert_eq!(expected_total(&list), by_hand);
        assert!(expected_total(&list) < 3 << 32);
    }
}
