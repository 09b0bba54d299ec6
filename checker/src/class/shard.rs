//! `--shard K/N`: a stable share of a class for one of N CI jobs.
//!
//! A student belongs to shard `hash(name) mod N + 1`, with the FNV-1a hash of the name's
//! UTF-8 bytes ([`super::Fnv`]): the same on every machine, whatever the order the folders are
//! listed in, and a student keeps their shard when others join or leave the class.

use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (1 ≤ index ≤ count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, from 1.
    pub index: u64,
    /// How many shares.
    pub count: u64,
}

impl Shard {
    /// Whether `student` is graded by this shard.
    pub fn contains(&self, student: &str) -> bool {
        shard_of(student, self.count) == self.index
    }
}

/// The shard (from 1) of `student` among `count`.
pub fn shard_of(student: &str, count: u64) -> u64 {
    super::Fnv::default().bytes(student.as_bytes()).finish() % count.max(1) + 1
}

impl FromStr for Shard {
    type Err = String;

    /// `K/N`, for example `2/3`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage = || {
            format!(
                "`{text}` is not a shard: give K/N, the K-th of N shares with 1 <= K <= N (for example --shard 2/3)"
            )
        };
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let index: u64 = k.trim().parse().map_err(|_| usage())?;
        let count: u64 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_bad_ones_are_refused() {
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(
            "1/1".parse::<Shard>().map(|s| s.to_string()),
            Ok("1/1".into())
        );
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "-1/3", "", "1/3/4"] {
            let error = bad.parse::<Shard>().unwrap_err();
            assert!(error.contains("1 <= K <= N"), "{bad}: {error}");
        }
    }

    #[test]
    fn every_student_is_in_exactly_one_shard_and_always_the_same() {
        let students: Vec<String> = (0..300).map(|i| format!("student-{i}")).collect();
        for count in 1..=5 {
            let shards: Vec<Shard> = (1..=count).map(|index| Shard { index, count }).collect();
            let mut sizes = vec![0; count as usize];
            for student in &students {
                let holders: Vec<_> = shards.iter().filter(|s| s.contains(student)).collect();
                assert_eq!(holders.len(), 1, "{student} in {count} shards");
                sizes[(holders[0].index - 1) as usize] += 1;
            }
            // Roughly even: no shard gets less than half its share.
            assert!(
                sizes
                    .iter()
                    .all(|&n| n * count as usize * 2 >= students.len()),
                "{sizes:?}"
            );
        }
        // Fixed values: the assignment must not change between builds or machines.
        assert_eq!(shard_of("alice", 3), 1 + (0x508b_2abb_65a0_3907_u64 % 3));
        assert_eq!(shard_of("", 3), 1 + (0xcbf2_9ce4_8422_2325_u64 % 3));
    }
}
