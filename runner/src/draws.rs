//! Where the code under test's randomness comes from: the case's seed.
//!
//! Every build of the course sets `--cfg getrandom_backend="custom"` (`.cargo/config.toml`,
//! and the checker's own builds of the code under test), so getrandom, under rand's `rng()`,
//! `random()` and everything else that asks it, calls `__getrandom_v03_custom` here. Once
//! [`seed_case`] has run (in a runner process, just before the runtime is built), it answers
//! from a ChaCha20 stream keyed by the case's seed: the same seed gives the same bytes, in
//! the same order, on every system. Before that, and in every other program linking this
//! crate (the checker: its per-run secrets), it answers from the operating system
//! ([`crate::os::os_random`]).
//!
//! tokio draws on its own generator for its random choices (which branch of a `select!` is
//! polled first); with `--cfg tokio_unstable` its runtime takes a seed ([`seed_case`] gives it
//! one from the case's). What stays unseeded: std's `HashMap` keys (std's own generator), and
//! the interleaving of draws made by several OS threads at once (each draw is seeded, their
//! order is the scheduler's).

use std::sync::Mutex;

use chacha20::ChaCha20Rng;
use chacha20::rand_core::{Rng, SeedableRng};

/// Whether this runner was built so that its cases' draws can be seeded: both cfgs set.
pub const SEEDABLE: bool = cfg!(all(tokio_unstable, getrandom_backend = "custom"));

/// Why a runner without [`SEEDABLE`] refuses a case.
pub const NOT_SEEDABLE: &str = "this runner was built without --cfg getrandom_backend=\"custom\" and --cfg tokio_unstable, so its random draws cannot come from the run's seed: build it with cargo in the course folder (its .cargo/config.toml sets them; a RUSTFLAGS variable replaces them and must hold them too)";

/// The seeded stream, once the case has started.
static DRAWS: Mutex<Option<ChaCha20Rng>> = Mutex::new(None);

/// From now on, every draw of this process comes from `seed`; `builder`'s runtime makes its
/// random choices from it too.
///
/// # Errors
/// [`NOT_SEEDABLE`] when the runner was built without the cfgs that make seeding possible.
pub fn seed_case(seed: u64, builder: &mut tokio::runtime::Builder) -> Result<(), String> {
    if !SEEDABLE {
        return Err(NOT_SEEDABLE.to_string());
    }
    *DRAWS.lock().unwrap_or_else(|e| e.into_inner()) = Some(ChaCha20Rng::seed_from_u64(seed));
    seed_runtime(seed, builder);
    Ok(())
}

#[cfg(tokio_unstable)]
fn seed_runtime(seed: u64, builder: &mut tokio::runtime::Builder) {
    builder.rng_seed(tokio::runtime::RngSeed::from_bytes(&seed.to_le_bytes()));
}

#[cfg(not(tokio_unstable))]
fn seed_runtime(_seed: u64, _builder: &mut tokio::runtime::Builder) {}

/// Fills `dest`: from the case's stream once seeded, else from the operating system.
fn fill(dest: &mut [u8]) -> std::io::Result<()> {
    if let Some(stream) = DRAWS.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        stream.fill_bytes(dest);
        return Ok(());
    }
    crate::os::os_random(dest)
}

/// getrandom's custom backend (its documented interface): fills `len` bytes at `dest`.
///
/// # Safety
/// `dest` must be valid for writes of `len` bytes (getrandom passes its caller's buffer,
/// possibly uninitialised).
#[cfg(getrandom_backend = "custom")]
#[unsafe(no_mangle)]
pub unsafe extern "Rust" fn __getrandom_v03_custom(
    dest: *mut u8,
    len: usize,
) -> Result<(), getrandom::Error> {
    if len == 0 {
        return Ok(());
    }
    // SAFETY: the caller gives `len` writable bytes at `dest`; they are zeroed first, so the
    // slice made of them holds initialised bytes.
    let buffer = unsafe {
        std::ptr::write_bytes(dest, 0, len);
        std::slice::from_raw_parts_mut(dest, len)
    };
    fill(buffer).map_err(|_| getrandom::Error::UNEXPECTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_seed_gives_one_stream_on_every_system() {
        // ChaCha20 keyed by rand_core's expansion of the seed: fixed bytes, whatever the OS.
        let mut stream = ChaCha20Rng::seed_from_u64(42);
        let mut bytes = [0u8; 8];
        stream.fill_bytes(&mut bytes);
        let mut again = ChaCha20Rng::seed_from_u64(42);
        let mut same = [0u8; 8];
        again.fill_bytes(&mut same);
        assert_eq!(bytes, same);
        assert_eq!(
            bytes,
            [120, 72, 181, 215, 17, 188, 152, 131],
            "the stream of seed 42 begins so everywhere"
        );
        let mut other = [0u8; 8];
        ChaCha20Rng::seed_from_u64(43).fill_bytes(&mut other);
        assert_ne!(bytes, other);
    }

    #[test]
    fn the_operating_system_fills_a_buffer() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        crate::os::os_random(&mut a).unwrap();
        crate::os::os_random(&mut b).unwrap();
        assert_ne!(a, b, "two draws of 256 bits from the OS are equal");
    }
}
