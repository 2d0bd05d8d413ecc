//! `CPython`'s `random.Random`, value for value: the Mersenne Twister (MT19937) and the methods
//! the fixture builder calls, with `CPython`'s algorithms (`Lib/random.py`, `_randommodule.c`),
//! so the same seed gives the same draws as the Python script the builder was ported from.

const N: usize = 624;
const M: usize = 397;

/// `random.Random(seed)` for a non-negative integer seed.
pub struct PyRandom {
    mt: [u32; N],
    index: usize,
}

impl PyRandom {
    /// Seeding from an int: `init_by_array` on the seed's 32-bit words, least significant first.
    pub fn new(seed: u64) -> Self {
        let mut key = vec![seed as u32];
        if seed >> 32 != 0 {
            key.push((seed >> 32) as u32);
        }
        let mut rng = PyRandom {
            mt: [0; N],
            index: N,
        };
        rng.init_by_array(&key);
        rng
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1];
            self.mt[i] = 1_812_433_253_u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let (mut i, mut j) = (1_usize, 0_usize);
        for _ in 0..N.max(key.len()) {
            let prev = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
        }
        self.mt[0] = 0x8000_0000;
    }

    fn genrand_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.mt[k] & 0x8000_0000) | (self.mt[(k + 1) % N] & 0x7fff_ffff);
                let mag = if y & 1 == 0 { 0 } else { 0x9908_b0df };
                self.mt[k] = self.mt[(k + M) % N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: 53 random bits as a float in [0, 1).
    pub fn random(&mut self) -> f64 {
        let a = f64::from(self.genrand_u32() >> 5);
        let b = f64::from(self.genrand_u32() >> 6);
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)` for `k <= 32` (all the builder needs).
    pub fn getrandbits(&mut self, k: u32) -> u32 {
        assert!(k <= 32, "getrandbits({k}) is not ported");
        if k == 0 {
            return 0;
        }
        self.genrand_u32() >> (32 - k)
    }

    /// `_randbelow(n)`: `getrandbits(n.bit_length())`, rejecting values `>= n`.
    fn randbelow(&mut self, n: u64) -> u64 {
        assert!(n > 0 && n <= 1 << 32, "_randbelow({n}) is not ported");
        let k = u64::BITS - n.leading_zeros();
        loop {
            let r = u64::from(self.getrandbits(k));
            if r < n {
                return r;
            }
        }
    }

    /// `randrange(start, stop)`.
    pub fn randrange(&mut self, start: i64, stop: i64) -> i64 {
        assert!(stop > start, "empty range for randrange({start}, {stop})");
        start + self.randbelow((stop - start) as u64) as i64
    }

    /// `randint(a, b)`, both ends included.
    pub fn randint(&mut self, a: i64, b: i64) -> i64 {
        self.randrange(a, b + 1)
    }

    /// `choice(seq)`.
    pub fn choice<'a, T>(&mut self, seq: &'a [T]) -> &'a T {
        assert!(!seq.is_empty(), "choice from an empty sequence");
        &seq[self.randbelow(seq.len() as u64) as usize]
    }

    /// `choices(population, weights)[0]` (k = 1): the cumulative weights, bisected at
    /// `random() * total`.
    pub fn choices<'a, T>(&mut self, population: &'a [T], weights: &[u32]) -> &'a T {
        assert_eq!(population.len(), weights.len(), "one weight per item");
        let cum: Vec<f64> = weights
            .iter()
            .scan(0_u64, |acc, &w| {
                *acc += u64::from(w);
                Some(*acc as f64)
            })
            .collect();
        let x = self.random() * cum[cum.len() - 1];
        // bisect_right(cum, x, 0, n - 1)
        let hi = cum.len() - 1;
        &population[cum[..hi].partition_point(|&c| c <= x)]
    }

    /// `shuffle(x)`: Fisher-Yates from the end.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.randbelow(i as u64 + 1) as usize;
            x.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PyRandom;

    // Expected values printed by CPython 3.11.7 on this machine, the draws in this order:
    // r = random.Random(7); [r.random() for _ in range(3)]; r.getrandbits(32) twice;
    // r.getrandbits(5); [r.randint(1, 100) for _ in range(5)];
    // [r.randrange(100_000_000, 1_000_000_000) for _ in range(2)]; x = list(range(10));
    // r.shuffle(x); [r.choice("abcdef") for _ in range(5)];
    // r.choices(["a", "b", "c"], [14, 1, 5], k=6) (k=6 draws as six k=1 calls do).
    #[test]
    fn matches_cpython_for_seed_7() {
        let mut r = PyRandom::new(7);
        let bits: Vec<u64> = (0..3).map(|_| r.random().to_bits()).collect();
        let expected = [
            0.323_832_764_833_162_37,
            0.150_849_173_924_501_92,
            0.650_934_473_039_853_7,
        ];
        assert_eq!(bits, expected.map(f64::to_bits));
        assert_eq!(
            [r.getrandbits(32), r.getrandbits(32)],
            [311_111_475, 3_527_346_212]
        );
        assert_eq!(r.getrandbits(5), 17);
        let ints: Vec<i64> = (0..5).map(|_| r.randint(1, 100)).collect();
        assert_eq!(ints, [13, 47, 75, 8, 65]);
        let big: Vec<i64> = (0..2)
            .map(|_| r.randrange(100_000_000, 1_000_000_000))
            .collect();
        assert_eq!(big, [330_530_419, 140_260_662]);
        let mut x: Vec<u32> = (0..10).collect();
        r.shuffle(&mut x);
        assert_eq!(x, [5, 2, 4, 3, 7, 9, 0, 8, 6, 1]);
        let letters = ['a', 'b', 'c', 'd', 'e', 'f'];
        let picked: String = (0..5).map(|_| *r.choice(&letters)).collect();
        assert_eq!(picked, "bffea");
        let weighted: String = (0..6)
            .map(|_| *r.choices(&['a', 'b', 'c'], &[14, 1, 5]))
            .collect();
        assert_eq!(weighted, "aacaca");
    }

    #[test]
    fn matches_cpython_for_the_fixture_seed() {
        let mut r = PyRandom::new(20_261_001);
        assert_eq!(r.random().to_bits(), 0.237_491_170_470_475_63_f64.to_bits());
        assert_eq!(r.getrandbits(32), 1_545_579_167);
    }
}
