//! SHA-256 (FIPS 180-4), for the manifest's file hashes: a reader can tell a
//! complete set of results from a mixed one by hashing the files again
//! (`sha256sum results/*`).

/// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

/// The initial hash value (FIPS 180-4, 5.3.3).
const H0: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 fed piece by piece, so that a file is hashed as it is written and
/// never held whole: 64 bytes of buffer besides the state.
#[derive(Clone, Debug)]
pub struct Sha256 {
    h: [u32; 8],
    /// The bytes of an incomplete block.
    block: [u8; 64],
    filled: usize,
    /// Bytes fed so far.
    length: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    /// The hash of nothing yet.
    pub fn new() -> Self {
        Self { h: H0, block: [0; 64], filled: 0, length: 0 }
    }

    /// Feeds `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.filled > 0 {
            let take = data.len().min(64 - self.filled);
            self.block[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            (self.filled, data) = (self.filled + take, &data[take..]);
            if self.filled < 64 {
                return;
            }
            compress(&mut self.h, &self.block);
            self.filled = 0;
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            compress(&mut self.h, block.try_into().expect("64 bytes"));
        }
        let rest = blocks.remainder();
        self.block[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    /// The hash of everything fed, as 64 lowercase hex digits: the padding
    /// `0x80`, zeros to 56 bytes mod 64, and the length in bits (big-endian).
    pub fn finish(mut self) -> String {
        let bits = self.length.wrapping_mul(8);
        let mut tail = [0u8; 128];
        tail[..self.filled].copy_from_slice(&self.block[..self.filled]);
        tail[self.filled] = 0x80;
        let len = if self.filled < 56 { 64 } else { 128 };
        tail[len - 8..len].copy_from_slice(&bits.to_be_bytes());
        for block in tail[..len].chunks_exact(64) {
            compress(&mut self.h, block.try_into().expect("64 bytes"));
        }
        self.h.iter().map(|v| format!("{v:08x}")).collect()
    }
}

/// One block of the compression function (FIPS 180-4, 6.2.2).
fn compress(h: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 64];
    for (t, word) in block.chunks_exact(4).enumerate() {
        w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
    }
    for t in 16..64 {
        let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
        let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
    for t in 0..64 {
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[t]).wrapping_add(w[t]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        (hh, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
    }
    for (h, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
        *h = h.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    /// The SHA-256 of `data`, fed whole, as 64 lowercase hex digits.
    fn hex(data: &[u8]) -> String {
        let mut hasher = super::Sha256::new();
        hasher.update(data);
        hasher.finish()
    }

    #[test]
    fn fips_180_examples() {
        // FIPS 180-4 examples, and `printf '' | sha256sum`, `head -c 1000 /dev/zero | sha256sum`.
        assert_eq!(hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(hex(&[0u8; 1000]), "541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53");
    }

    #[test]
    fn fed_in_pieces_is_fed_whole() {
        // Every split of 0..=200 bytes into two pieces, and byte by byte, against
        // the whole (itself checked above): the block buffer's edges at 55, 56,
        // 63, 64 and 128 bytes are all crossed.
        let data: Vec<u8> = (0..=200u8).map(|b| b.wrapping_mul(37)).collect();
        for len in [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 200] {
            let whole = hex(&data[..len]);
            for cut in 0..=len {
                let mut h = super::Sha256::new();
                h.update(&data[..cut]);
                h.update(&data[cut..len]);
                assert_eq!(h.finish(), whole, "{len} bytes cut at {cut}");
            }
            let mut h = super::Sha256::new();
            data[..len].iter().for_each(|b| h.update(std::slice::from_ref(b)));
            assert_eq!(h.finish(), whole, "{len} bytes one by one");
        }
    }
}
