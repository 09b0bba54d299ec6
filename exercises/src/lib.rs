//! asynclings exercises: the functions you write; run `cargo run -p checker`.

#[path = "11_async_comprehension.rs"]
pub mod async_comprehension;
#[path = "10_async_generator.rs"]
pub mod async_generator;
#[path = "02_greet.rs"]
pub mod greet;
#[path = "12_measure_runtime.rs"]
pub mod measure_runtime;
#[path = "07_measure_time.rs"]
pub mod measure_time;
#[path = "04_pipeline.rs"]
pub mod pipeline;
#[path = "01_say_hello.rs"]
pub mod say_hello;
#[path = "09_task_wait_n.rs"]
pub mod task_wait_n;
#[path = "08_task_wait_random.rs"]
pub mod task_wait_random;
#[path = "03_tasks.rs"]
pub mod tasks;
#[path = "13_wait_bounded.rs"]
pub mod wait_bounded;
#[path = "06_wait_n.rs"]
pub mod wait_n;
#[path = "05_wait_random.rs"]
pub mod wait_random;
