//! Seeded randomness: the same seed gives the same workload in every mode, on every machine.
//!
//! Every random draw is a pure function of `(seed, index)` (SplitMix64's mixing function), so a
//! request's latency does not depend on which lane handles it or in which order.

/// A well-mixed 64-bit number for draw `index` under `seed`.
pub fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_mul(0xA24B_AED4_963E_E407)
        .wrapping_add(index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in `[0, 1)` for draw `index` under `seed`, with 53 random bits.
pub fn unit(seed: u64, index: u64) -> f64 {
    (mix(seed, index) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_index_give_the_same_number() {
        assert_eq!(mix(7, 3), mix(7, 3));
        assert_ne!(mix(7, 3), mix(8, 3));
        assert_ne!(mix(7, 3), mix(7, 4));
    }

    #[test]
    fn units_are_in_range_and_roughly_uniform() {
        let draws: Vec<f64> = (0..10_000).map(|i| unit(1, i)).collect();
        assert!(draws.iter().all(|u| (0.0..1.0).contains(u)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
        let below_a_tenth = draws.iter().filter(|&&u| u < 0.1).count();
        assert!((800..1200).contains(&below_a_tenth), "{below_a_tenth}");
    }
}
