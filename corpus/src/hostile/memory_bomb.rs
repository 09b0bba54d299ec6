//! Mistake: allocates a gigabyte after another without end, a memory bomb.
//! Lesson: wait_random
//! Expect: ran out of memory

/// Hoards gigabytes until an allocation fails.
pub async fn wait_random(max_delay: u64) -> f64 {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        // Zeroed memory comes straight from the kernel and is not touched, so the test host
        // does not have to find the RAM: the address-space limit stops the bomb all the same.
        hoard.push(std::hint::black_box(vec![0u8; 1 << 30]));
        if hoard.len() > usize::MAX / 2 {
            return max_delay as f64;
        }
    }
}
