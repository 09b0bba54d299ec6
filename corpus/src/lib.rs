//! Wrong implementations of the lessons: the checker's own test material.
//!
//! `mistakes/` holds the errors real students make on this course; `hostile/` holds
//! submissions that panic, abort, hang, flood or tamper. Each file replaces one lesson of the
//! reference solutions and starts with a header the tests read:
//!
//! ```text
//! //! Mistake: what is wrong, in a sentence.
//! //! Lesson: the lesson it replaces (or several: `a, b, c`, listed in variants.rs as `a & b & c`)
//! //! Headline: a phrase the lesson's headline must contain: the first diagnosis of its first
//! //!           failing case, the first sentence a student reads about it
//! //! Headline of LESSON: the same, for another lesson the entry replaces
//! //! Not: a phrase the headline must not contain (a false cause, seen before)
//! //! Expect: a phrase the verdict must contain (hostile entries: what happened)
//! ```

/// Mistakes real students make.
pub mod mistakes {
    pub mod async_comprehension_hard_coded;
    pub mod async_comprehension_own_numbers;
    pub mod async_comprehension_ready_chunks;
    pub mod async_comprehension_ten_generators;
    pub mod async_comprehension_twice;
    pub mod async_generator_buffered;
    pub mod async_generator_eleven;
    pub mod async_generator_interval_first_tick;
    pub mod async_generator_nine;
    pub mod async_generator_sleep_once;
    pub mod async_generator_yield_first;
    pub mod async_generator_yield_first_downstream;
    pub mod chat_echo;
    pub mod chat_lagged_ends;
    pub mod chat_writers_in_turn;
    pub mod digest_server_in_the_task;
    pub mod digest_server_one_at_a_time;
    pub mod digest_server_spawned_task;
    pub mod finish_then_stop_abort;
    pub mod finish_then_stop_bool_copied;
    pub mod finish_then_stop_changed_as_test;
    pub mod finish_then_stop_index_past_end;
    pub mod finish_then_stop_not_awaited;
    pub mod finish_then_stop_notify_select;
    pub mod finish_then_stop_notify_waiters;
    pub mod finish_then_stop_select;
    pub mod frames_as_lines;
    pub mod frames_read_not_exact;
    pub mod frames_rest_dropped;
    pub mod greet_all_not_awaited;
    pub mod greet_all_sequential;
    pub mod greet_blocking_helper;
    pub mod greet_says_bye;
    pub mod greet_thread_sleep_after;
    pub mod greet_use_in_body;
    pub mod line_server_one_at_a_time;
    pub mod line_server_read_to_end;
    pub mod line_server_unflushed;
    pub mod measure_runtime_block_on;
    pub mod measure_runtime_hard_coded;
    pub mod measure_runtime_millis;
    pub mod measure_runtime_select;
    pub mod measure_runtime_sequential;
    pub mod measure_runtime_spawned_not_awaited;
    pub mod measure_runtime_std_instant;
    pub mod measure_time_as_secs;
    pub mod measure_time_divide_by_max;
    pub mod measure_time_divide_by_n_plus_one;
    pub mod measure_time_glob_instant;
    pub mod measure_time_n_zero_panics;
    pub mod measure_time_no_divide;
    pub mod measure_time_spawned_not_awaited;
    pub mod measure_time_std_instant;
    pub mod pipeline_concurrent;
    pub mod pipeline_process_unchanged;
    pub mod produce_consume_consumer_not_awaited;
    pub mod produce_consume_producer_awaited_first;
    pub mod produce_consume_sender_kept;
    pub mod produce_consume_try_recv;
    pub mod produce_consume_unbounded;
    pub mod produce_consume_work_in_tasks;
    pub mod race_elapsed_sleep_not_reset;
    pub mod race_join_both;
    pub mod race_polls_is_finished;
    pub mod race_progress_before_sleep;
    pub mod race_progress_interval;
    pub mod race_select_in_loop;
    pub mod race_spawned;
    pub mod retry_client_no_backoff;
    pub mod retry_client_no_budget;
    pub mod retry_client_no_timeout;
    pub mod say_hello_glob_thread_sleep;
    pub mod say_hello_no_await;
    pub mod say_hello_sleep_after;
    pub mod say_hello_thread_sleep;
    pub mod say_hello_zero_width_space;
    pub mod shared_store_guard_per_connection;
    pub mod shared_store_lock_across_check;
    pub mod shared_store_map_per_connection;
    pub mod shutdown_accept_loop_only;
    pub mod shutdown_joinset_dropped;
    pub mod shutdown_keeps_accepting;
    pub mod shutdown_read_line_select;
    pub mod shutdown_tracker_never_closed;
    pub mod stop_ticker_abort_not_awaited;
    pub mod stop_ticker_awaits_forever;
    pub mod stop_ticker_dropped_handle;
    pub mod stop_ticker_interval_first_tick;
    pub mod stop_ticker_nested_spawn;
    pub mod stop_ticker_pauses_clock;
    pub mod stop_ticker_timeout_on_handle;
    pub mod task_wait_n_await_each;
    pub mod task_wait_n_for_loop_sorted;
    pub mod task_wait_n_futures_ordered;
    pub mod task_wait_n_spawn_order;
    pub mod task_wait_n_uses_wait_random;
    pub mod task_wait_random_block_on;
    pub mod task_wait_random_late_start;
    pub mod task_wait_random_spawn_blocking;
    pub mod tasks_await_first;
    pub mod tasks_lazy_future;
    pub mod tasks_no_spawn;
    pub mod tick_every_default_behavior;
    pub mod tick_every_delay_as_skip;
    pub mod tick_every_extra_first_tick;
    pub mod tick_every_first_tick_waits;
    pub mod tick_every_interval_in_loop;
    pub mod tick_every_sleep_loop;
    pub mod tick_every_whole_second_period;
    pub mod wait_at_most_millis;
    pub mod wait_at_most_no_timeout;
    pub mod wait_at_most_spawned;
    pub mod wait_at_most_whole_second_limit;
    pub mod wait_at_most_wrong_future;
    pub mod wait_bounded_batches;
    pub mod wait_bounded_buffered_in_order;
    pub mod wait_bounded_input_order;
    pub mod wait_bounded_permit_dropped;
    pub mod wait_bounded_permit_left_in_loop;
    pub mod wait_bounded_semaphore_per_task;
    pub mod wait_bounded_whole_seconds;
    pub mod wait_n_buffer_unordered_cap;
    pub mod wait_n_inline_sleep;
    pub mod wait_n_join_all;
    pub mod wait_n_off_by_one;
    pub mod wait_n_partition_point;
    pub mod wait_n_reverse;
    pub mod wait_n_sender_kept;
    pub mod wait_n_sequential;
    pub mod wait_n_sort;
    pub mod wait_n_sort_in_helper;
    pub mod wait_random_constant;
    pub mod wait_random_from_one;
    pub mod wait_random_half_open_range;
    pub mod wait_random_integer;
    pub mod wait_random_max_plus_one;
    pub mod wait_random_millis;
    pub mod wait_random_no_sleep;
    pub mod wait_random_skewed;
    pub mod wait_random_thread_sleep;
    pub mod wait_random_whole_seconds;
}

/// Submissions that attack or break the grader. Those that attack Unix mechanisms (fd 3,
/// signals, fork, `/proc`) exist on Unix only.
pub mod hostile {
    // Their `unsafe` is the attack (forged descriptors, raw signals, forks): a student's code
    // written to break the grader, not ours to justify.
    #![allow(clippy::undocumented_unsafe_blocks)]

    /// The process id of the checker that runs this case, as an attacker finds it: the
    /// nearest ancestor named `checker` in `/proc` (a case may be forked by a case server,
    /// whose child the case is), or the parent where `/proc` cannot be read (the sandbox keeps
    /// it from the call's thread) or names no checker.
    #[cfg(unix)]
    pub fn checker_pid() -> u32 {
        let parent = std::os::unix::process::parent_id();
        let mut pid = parent;
        for _ in 0..16 {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return parent;
            };
            // "PID (COMM) STATE PPID ...": the name may hold spaces and parentheses.
            let Some((head, rest)) = stat.rsplit_once(')') else {
                return parent;
            };
            if head
                .split_once('(')
                .is_some_and(|(_, name)| name == "checker")
            {
                return pid;
            }
            match rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
                Some(next) if next > 1 => pid = next,
                _ => return parent,
            }
        }
        parent
    }

    pub mod abort;
    pub mod advance_the_clock;
    pub mod busy_loop;
    #[cfg(unix)]
    pub mod connect_tcp;
    pub mod deep_folders;
    #[cfg(unix)]
    pub mod delete_spec;
    #[cfg(unix)]
    pub mod escape_double_fork;
    #[cfg(unix)]
    pub mod escape_setsid;
    pub mod exit_zero;
    #[cfg(unix)]
    pub mod fd1000;
    #[cfg(unix)]
    pub mod fd3_forge;
    #[cfg(unix)]
    pub mod fd3_replace;
    #[cfg(target_os = "linux")]
    pub mod fill_disk;
    pub mod forged_stdout;
    #[cfg(unix)]
    pub mod kill_checker;
    #[cfg(target_os = "linux")]
    pub mod learn_the_seed;
    pub mod many_files;
    pub mod memory_bomb;
    pub mod never_completes;
    pub mod panic_halfway;
    pub mod pause_the_clock;
    #[cfg(unix)]
    pub mod plant_files;
    pub mod print_gib;
    #[cfg(unix)]
    pub mod read_private_specs;
    #[cfg(unix)]
    pub mod root_tricks;
    pub mod runner_words;
    #[cfg(unix)]
    pub mod signal_checker;
    #[cfg(unix)]
    pub mod sigstop_self;
    #[cfg(unix)]
    pub mod sigterm_ignored_fork;
    #[cfg(unix)]
    pub mod spin_children;
    pub mod spin_threads;
    pub mod stack_overflow;
    #[cfg(unix)]
    pub mod steal_secret;
    pub mod terminal_escape;
    pub mod thread_bomb;
    pub mod thread_sleep_hour;
    #[cfg(target_os = "linux")]
    pub mod trace_checker;
    pub mod unnamed_files;
    #[cfg(target_os = "linux")]
    pub mod watch_other_cases;
    #[cfg(unix)]
    pub mod write_every_fd;
    pub mod yield_loop;
}
