//! The reference solutions of the asynclings lessons.
//!
//! When a lesson file does not compile, the checker grades the others with a stub in its
//! place (the `asynclings_stub` lines).

#![forbid(unsafe_code)]

#[cfg(not(asynclings_stub = "say_hello"))]
#[path = "01_say_hello.rs"]
pub mod say_hello;
#[cfg(asynclings_stub = "say_hello")]
asynclings_runner::stub!(say_hello);
#[cfg(not(asynclings_stub = "greet"))]
#[path = "02_greet.rs"]
pub mod greet;
#[cfg(asynclings_stub = "greet")]
asynclings_runner::stub!(greet);
#[cfg(not(asynclings_stub = "tasks"))]
#[path = "03_tasks.rs"]
pub mod tasks;
#[cfg(asynclings_stub = "tasks")]
asynclings_runner::stub!(tasks);
#[cfg(not(asynclings_stub = "pipeline"))]
#[path = "04_pipeline.rs"]
pub mod pipeline;
#[cfg(asynclings_stub = "pipeline")]
asynclings_runner::stub!(pipeline);
#[cfg(not(asynclings_stub = "wait_random"))]
#[path = "05_wait_random.rs"]
pub mod wait_random;
#[cfg(asynclings_stub = "wait_random")]
asynclings_runner::stub!(wait_random);
#[cfg(not(asynclings_stub = "wait_n"))]
#[path = "06_wait_n.rs"]
pub mod wait_n;
#[cfg(asynclings_stub = "wait_n")]
asynclings_runner::stub!(wait_n);
#[cfg(not(asynclings_stub = "measure_time"))]
#[path = "07_measure_time.rs"]
pub mod measure_time;
#[cfg(asynclings_stub = "measure_time")]
asynclings_runner::stub!(measure_time);
#[cfg(not(asynclings_stub = "task_wait_random"))]
#[path = "08_task_wait_random.rs"]
pub mod task_wait_random;
#[cfg(asynclings_stub = "task_wait_random")]
asynclings_runner::stub!(task_wait_random);
#[cfg(not(asynclings_stub = "task_wait_n"))]
#[path = "09_task_wait_n.rs"]
pub mod task_wait_n;
#[cfg(asynclings_stub = "task_wait_n")]
asynclings_runner::stub!(task_wait_n);
#[cfg(not(asynclings_stub = "async_generator"))]
#[path = "10_async_generator.rs"]
pub mod async_generator;
#[cfg(asynclings_stub = "async_generator")]
asynclings_runner::stub!(async_generator);
#[cfg(not(asynclings_stub = "async_comprehension"))]
#[path = "11_async_comprehension.rs"]
pub mod async_comprehension;
#[cfg(asynclings_stub = "async_comprehension")]
asynclings_runner::stub!(async_comprehension);
#[cfg(not(asynclings_stub = "measure_runtime"))]
#[path = "12_measure_runtime.rs"]
pub mod measure_runtime;
#[cfg(asynclings_stub = "measure_runtime")]
asynclings_runner::stub!(measure_runtime);
#[cfg(not(asynclings_stub = "wait_bounded"))]
#[path = "13_wait_bounded.rs"]
pub mod wait_bounded;
#[cfg(asynclings_stub = "wait_bounded")]
asynclings_runner::stub!(wait_bounded);
#[cfg(not(asynclings_stub = "wait_at_most"))]
#[path = "14_wait_at_most.rs"]
pub mod wait_at_most;
#[cfg(asynclings_stub = "wait_at_most")]
asynclings_runner::stub!(wait_at_most);
#[cfg(not(asynclings_stub = "race"))]
#[path = "15_race.rs"]
pub mod race;
#[cfg(asynclings_stub = "race")]
asynclings_runner::stub!(race);
#[cfg(not(asynclings_stub = "stop_ticker"))]
#[path = "16_stop_ticker.rs"]
pub mod stop_ticker;
#[cfg(asynclings_stub = "stop_ticker")]
asynclings_runner::stub!(stop_ticker);
#[cfg(not(asynclings_stub = "produce_consume"))]
#[path = "17_produce_consume.rs"]
pub mod produce_consume;
#[cfg(asynclings_stub = "produce_consume")]
asynclings_runner::stub!(produce_consume);
#[cfg(not(asynclings_stub = "tick_every"))]
#[path = "18_tick_every.rs"]
pub mod tick_every;
#[cfg(asynclings_stub = "tick_every")]
asynclings_runner::stub!(tick_every);
#[cfg(not(asynclings_stub = "finish_then_stop"))]
#[path = "19_finish_then_stop.rs"]
pub mod finish_then_stop;
#[cfg(asynclings_stub = "finish_then_stop")]
asynclings_runner::stub!(finish_then_stop);
#[cfg(not(asynclings_stub = "line_server"))]
#[path = "20_line_server.rs"]
pub mod line_server;
#[cfg(asynclings_stub = "line_server")]
asynclings_runner::stub!(line_server);
#[cfg(not(asynclings_stub = "frames"))]
#[path = "21_frames.rs"]
pub mod frames;
#[cfg(asynclings_stub = "frames")]
asynclings_runner::stub!(frames);
#[cfg(not(asynclings_stub = "retry_client"))]
#[path = "22_retry_client.rs"]
pub mod retry_client;
#[cfg(asynclings_stub = "retry_client")]
asynclings_runner::stub!(retry_client);
#[cfg(not(asynclings_stub = "shared_store"))]
#[path = "23_shared_store.rs"]
pub mod shared_store;
#[cfg(asynclings_stub = "shared_store")]
asynclings_runner::stub!(shared_store);
#[cfg(not(asynclings_stub = "chat"))]
#[path = "24_chat.rs"]
pub mod chat;
#[cfg(asynclings_stub = "chat")]
asynclings_runner::stub!(chat);
#[cfg(not(asynclings_stub = "digest_server"))]
#[path = "25_digest_server.rs"]
pub mod digest_server;
#[cfg(asynclings_stub = "digest_server")]
asynclings_runner::stub!(digest_server);
#[cfg(not(asynclings_stub = "shutdown"))]
#[path = "26_shutdown.rs"]
pub mod shutdown;
#[cfg(asynclings_stub = "shutdown")]
asynclings_runner::stub!(shutdown);
