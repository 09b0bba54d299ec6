// Every wrong implementation of the corpus: `kind/module => lesson it replaces`, or
// `=> lesson & lesson & ...` for one that replaces several (an earlier lesson's mistake seen
// from the lessons built on it).
// A new file in mistakes/ or hostile/ needs a line here and one in lib.rs.
// `#[cfg(unix)]`: an attack on Unix mechanisms (fd 3, signals, fork, /proc), which has no
// meaning on Windows; gated the same way in lib.rs.
variants! {
    mistakes/async_comprehension_hard_coded => async_comprehension,
    mistakes/async_comprehension_own_numbers => async_comprehension,
    mistakes/async_comprehension_twice => async_comprehension,
    mistakes/async_generator_eleven => async_generator,
    mistakes/async_generator_nine => async_generator,
    mistakes/async_generator_sleep_once => async_generator,
    mistakes/async_generator_yield_first => async_generator,
    mistakes/async_generator_yield_first_downstream => async_generator & async_comprehension & measure_runtime,
    mistakes/finish_then_stop_abort => finish_then_stop,
    mistakes/finish_then_stop_select => finish_then_stop,
    mistakes/greet_all_not_awaited => greet,
    mistakes/greet_all_sequential => greet,
    mistakes/greet_blocking_helper => greet,
    mistakes/greet_says_bye => greet,
    mistakes/greet_thread_sleep_after => greet,
    mistakes/greet_use_in_body => greet,
    mistakes/line_server_one_at_a_time => line_server,
    mistakes/line_server_read_to_end => line_server,
    mistakes/line_server_unflushed => line_server,
    mistakes/measure_runtime_block_on => measure_runtime,
    mistakes/measure_runtime_hard_coded => measure_runtime,
    mistakes/measure_runtime_millis => measure_runtime,
    mistakes/measure_runtime_sequential => measure_runtime,
    mistakes/measure_runtime_spawned_not_awaited => measure_runtime,
    mistakes/measure_runtime_std_instant => measure_runtime,
    mistakes/measure_time_divide_by_max => measure_time,
    mistakes/measure_time_divide_by_n_plus_one => measure_time,
    mistakes/measure_time_glob_instant => measure_time,
    mistakes/measure_time_n_zero_panics => measure_time,
    mistakes/measure_time_no_divide => measure_time,
    mistakes/measure_time_spawned_not_awaited => measure_time,
    mistakes/measure_time_std_instant => measure_time,
    mistakes/pipeline_concurrent => pipeline,
    mistakes/pipeline_process_unchanged => pipeline,
    mistakes/produce_consume_sender_kept => produce_consume,
    mistakes/produce_consume_unbounded => produce_consume,
    mistakes/race_join_both => race,
    mistakes/race_select_in_loop => race,
    mistakes/race_spawned => race,
    mistakes/say_hello_glob_thread_sleep => say_hello,
    mistakes/say_hello_no_await => say_hello,
    mistakes/say_hello_sleep_after => say_hello,
    mistakes/say_hello_thread_sleep => say_hello,
    mistakes/say_hello_zero_width_space => say_hello,
    mistakes/stop_ticker_abort_not_awaited => stop_ticker,
    mistakes/stop_ticker_awaits_forever => stop_ticker,
    mistakes/stop_ticker_dropped_handle => stop_ticker,
    mistakes/task_wait_n_await_each => task_wait_n,
    mistakes/task_wait_n_for_loop_sorted => task_wait_n,
    mistakes/task_wait_n_futures_ordered => task_wait_n,
    mistakes/task_wait_n_spawn_order => task_wait_n,
    mistakes/task_wait_n_uses_wait_random => task_wait_n,
    mistakes/task_wait_random_block_on => task_wait_random,
    mistakes/task_wait_random_late_start => task_wait_random,
    mistakes/task_wait_random_spawn_blocking => task_wait_random,
    mistakes/tasks_await_first => tasks,
    mistakes/tasks_lazy_future => tasks,
    mistakes/tasks_no_spawn => tasks,
    mistakes/tick_every_default_behavior => tick_every,
    mistakes/tick_every_first_tick_waits => tick_every,
    mistakes/tick_every_sleep_loop => tick_every,
    mistakes/wait_at_most_no_timeout => wait_at_most,
    mistakes/wait_at_most_spawned => wait_at_most,
    mistakes/wait_at_most_wrong_future => wait_at_most,
    mistakes/wait_bounded_batches => wait_bounded,
    mistakes/wait_bounded_input_order => wait_bounded,
    mistakes/wait_bounded_permit_dropped => wait_bounded,
    mistakes/wait_n_inline_sleep => wait_n,
    mistakes/wait_n_join_all => wait_n,
    mistakes/wait_n_off_by_one => wait_n,
    mistakes/wait_n_partition_point => wait_n,
    mistakes/wait_n_reverse => wait_n,
    mistakes/wait_n_sequential => wait_n,
    mistakes/wait_n_sort => wait_n,
    mistakes/wait_n_sort_in_helper => wait_n,
    mistakes/wait_random_constant => wait_random,
    mistakes/wait_random_from_one => wait_random,
    mistakes/wait_random_integer => wait_random,
    mistakes/wait_random_max_plus_one => wait_random,
    mistakes/wait_random_millis => wait_random,
    mistakes/wait_random_no_sleep => wait_random,
    mistakes/wait_random_skewed => wait_random,
    mistakes/wait_random_thread_sleep => wait_random,
    mistakes/wait_random_whole_seconds => wait_random,
    hostile/abort => say_hello,
    hostile/busy_loop => say_hello,
    #[cfg(unix)]
    hostile/delete_spec => say_hello,
    #[cfg(unix)]
    hostile/escape_double_fork => say_hello,
    #[cfg(unix)]
    hostile/escape_setsid => say_hello,
    hostile/exit_zero => say_hello,
    #[cfg(unix)]
    hostile/fd1000 => say_hello,
    #[cfg(unix)]
    hostile/fd3_forge => say_hello,
    #[cfg(unix)]
    hostile/fd3_replace => say_hello,
    hostile/forged_stdout => say_hello,
    hostile/memory_bomb => wait_random,
    hostile/never_completes => wait_random,
    hostile/panic_halfway => say_hello,
    hostile/print_gib => say_hello,
    #[cfg(unix)]
    hostile/signal_checker => say_hello,
    #[cfg(unix)]
    hostile/sigstop_self => say_hello,
    #[cfg(unix)]
    hostile/sigterm_ignored_fork => say_hello,
    hostile/stack_overflow => say_hello,
    hostile/terminal_escape => say_hello,
    #[cfg(unix)]
    hostile/steal_secret => say_hello,
    hostile/thread_bomb => say_hello,
    hostile/thread_sleep_hour => say_hello,
    #[cfg(unix)]
    hostile/write_every_fd => say_hello,
    hostile/yield_loop => say_hello,
    hostile/advance_the_clock => say_hello,
    hostile/pause_the_clock => say_hello,
    #[cfg(unix)]
    hostile/connect_tcp => say_hello,
    #[cfg(unix)]
    hostile/kill_checker => say_hello,
    #[cfg(unix)]
    hostile/plant_files => say_hello,
    #[cfg(unix)]
    hostile/read_private_specs => say_hello,
    #[cfg(unix)]
    hostile/root_tricks => say_hello,
    #[cfg(target_os = "linux")]
    hostile/trace_checker => say_hello,
    #[cfg(target_os = "linux")]
    hostile/watch_other_cases => say_hello,
    // Issue 22: resources per case.
    #[cfg(target_os = "linux")]
    hostile/fill_disk => say_hello,
    hostile/many_files => say_hello,
    hostile/deep_folders => say_hello,
    hostile/unnamed_files => say_hello,
    hostile/spin_threads => say_hello,
    #[cfg(unix)]
    hostile/spin_children => say_hello,
    #[cfg(target_os = "linux")]
    hostile/learn_the_seed => wait_random,
}
