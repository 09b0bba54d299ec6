//! The run's seed: where every random draw of the code under test comes from.
//!
//! A run has one seed, `--seed S` or a fresh one from the operating system. Each case gets a
//! seed of its own, derived from the run's and the case's identity (lesson and case name),
//! never from when or where it was scheduled, so a case draws the same numbers whether it
//! runs first or last, alone or beside others, on Linux, macOS or Windows. The runner feeds
//! the case's seed to getrandom (rand's `rng()`, `random()`) and to tokio's scheduler
//! (`select!` branch order): `asynclings_runner`'s `draws` module. Every report states the
//! run's seed, so a run a student or a CI log shows can be replayed exactly.

/// Environment variable giving the run's seed when `--seed` does not: for pipelines that must
/// give the same report run after run (the project's own tests, the Wine comparison). Grading
/// pipelines leave it unset, so that every run draws afresh.
pub const SEED_ENV: &str = "ASYNCLINGS_SEED";

/// The run's seed: `given` (`--seed`), else [`SEED_ENV`], else [`fresh`].
///
/// # Errors
/// [`SEED_ENV`] is set to something other than a whole number from 0 to 2^64 - 1.
pub fn run_seed(given: Option<u64>) -> anyhow::Result<u64> {
    if let Some(seed) = given {
        return Ok(seed);
    }
    match std::env::var(SEED_ENV) {
        Ok(text) if !text.trim().is_empty() => text.trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "{SEED_ENV}={text:?} is not a seed: give a whole number from 0 to {}",
                u64::MAX
            )
        }),
        _ => Ok(fresh()),
    }
}

/// The run's seed as reports state it, with how to replay the run.
pub fn replay_note(seed: u64) -> String {
    format!("Seed: {seed} (--seed {seed} replays this run exactly)")
}

/// A fresh run seed, from the operating system (each run draws other numbers, so the checks
/// of randomness keep their meaning, and no solution can know the draws in advance). Below
/// 2^53, so that a JSON reader that holds numbers as doubles (JavaScript's) keeps it exact.
pub fn fresh() -> u64 {
    rand::random::<u64>() >> 11
}

/// The seed of the case `case` of lesson `lesson` in the run seeded with `run`.
///
/// FNV-1a over the run seed (little-endian) and the two names (each ended by a NUL), then
/// SplitMix64's finaliser to spread it: fixed arithmetic, the same on every system and in
/// every version that does not say otherwise in docs/results.md.
pub fn case_seed(run: u64, lesson: &str, case: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let bytes = run
        .to_le_bytes()
        .into_iter()
        .chain(lesson.bytes())
        .chain([0])
        .chain(case.bytes())
        .chain([0]);
    let hash = bytes.fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    });
    let mut z = hash.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// rustc's flags for every build of code under test: the two cfgs that let the runner seed
/// its draws (`.cargo/config.toml` sets the same for plain `cargo` commands), after the
/// `RUSTFLAGS` of the environment, if any. Given as `RUSTFLAGS`, they replace the config
/// file's, so the checker's builds are seeded wherever the workspace lives (a class's
/// grading workspaces, a template), and without a `RUSTFLAGS` of the user's they are exactly
/// the config file's: `cargo run -p checker` and the checker's build share their artifacts.
pub fn rustflags() -> String {
    let user = std::env::var("RUSTFLAGS").unwrap_or_default();
    let mut flags: Vec<&str> = user.split_whitespace().collect();
    // The user's flags may hold some of ours already; each is given once.
    for flag in ["tokio_unstable", r#"getrandom_backend="custom""#] {
        if !flags.contains(&flag) {
            flags.extend(["--cfg", flag]);
        }
    }
    flags.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_seed_depends_on_the_run_and_the_case_only() {
        let seed = case_seed(7, "wait_n", "five delays");
        assert_eq!(seed, case_seed(7, "wait_n", "five delays"));
        assert_ne!(seed, case_seed(8, "wait_n", "five delays"));
        assert_ne!(seed, case_seed(7, "wait_n", "ten delays"));
        assert_ne!(seed, case_seed(7, "task_wait_n", "five delays"));
        // The names are delimited: moving a letter from one to the other is another case.
        assert_ne!(case_seed(7, "ab", "c"), case_seed(7, "a", "bc"));
    }

    #[test]
    fn case_seeds_are_fixed_numbers() {
        // The derivation is part of what a printed seed means: a change here makes old seeds
        // replay other runs, and docs/results.md must say so.
        assert_eq!(
            case_seed(1, "wait_random", "one call"),
            2_929_807_317_358_684_791
        );
    }

    #[test]
    fn the_flags_are_the_config_files() {
        let config = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cargo/config.toml"),
        )
        .unwrap();
        let config: toml::Table = config.parse().unwrap();
        let listed: Vec<&str> = config["build"]["rustflags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        if std::env::var_os("RUSTFLAGS").is_none() {
            assert_eq!(rustflags().split(' ').collect::<Vec<_>>(), listed);
        }
    }

    #[test]
    fn fresh_seeds_differ() {
        assert_ne!(fresh(), fresh());
    }
}
