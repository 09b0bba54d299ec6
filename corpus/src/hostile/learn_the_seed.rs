//! Mistake: tries to learn the case's seed before drawing (from its environment, the one the
//! process started with in /proc/self/environ, and its command line), to know its draws in
//! advance. The runner blanks the seed in the request before the code runs (zeros in its
//! place): it finds none, and says so in a panic.
//! Lesson: wait_random
//! Expect: no seed in reach of the code under test

/// Every `"seed":N` in `text`, but digits all zero (what a blanked value reads as).
fn seeds_in(text: &str) -> Vec<u64> {
    text.match_indices("\"seed\":")
        .filter_map(|(at, key)| {
            let digits: String = text[at + key.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok().filter(|&seed| seed != 0)
        })
        .collect()
}

/// Looks for its seed everywhere it can, then panics with what it found.
pub async fn wait_random(_max_delay: u64) -> f64 {
    let mut places: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}={v}")).collect();
    for file in ["/proc/self/environ", "/proc/self/cmdline"] {
        places.push(String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned());
    }
    places.extend(std::env::args());
    let found: Vec<u64> = places.iter().flat_map(|p| seeds_in(p)).collect();
    match found.first() {
        Some(seed) => panic!("learned the case's seed: {seed}"),
        None => panic!("no seed in reach of the code under test"),
    }
}
