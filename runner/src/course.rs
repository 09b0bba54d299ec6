//! The course's binding table, written once for every implementation.
//!
//! [`bind_lesson!`](crate::bind_lesson) knows each lesson's functions and signatures;
//! [`course_bindings!`](crate::course_bindings) binds all the lessons of a crate. A new
//! lesson adds one arm to `bind_lesson!` and one line to `course_bindings!`: `checker new`
//! writes both, above the marker comments.

/// Binds every function of one lesson from a module path into a [`Bindings`](crate::Bindings).
///
/// `bind_lesson!(table, wait_n, [solutions::wait_n], "/path/to/06_wait_n.rs")` binds
/// `solutions::wait_n::wait_n` as lesson `wait_n`'s function `wait_n`.
#[macro_export]
macro_rules! bind_lesson {
    ($b:expr, say_hello, [$($m:ident)::+], $src:expr) => {
        $b.add("say_hello", "say_hello", $crate::Shape::Future, $src, &[], |_| {
            Ok($crate::Call::Future(Box::pin(async {
                $crate::Report::report($($m)::+::say_hello().await)
            })))
        });
    };
    ($b:expr, greet, [$($m:ident)::+], $src:expr) => {
        $b.add("greet", "greet", $crate::Shape::Future, $src, &["name"], |a| {
            let name: String = $crate::arg(a, "name")?;
            Ok($crate::Call::Future(Box::pin(async move {
                $crate::Report::report($($m)::+::greet(&name).await)
            })))
        });
        $b.add("greet", "greet_all", $crate::Shape::Future, $src, &["names"], |a| {
            let names: Vec<String> = $crate::arg(a, "names")?;
            Ok($crate::Call::Future(Box::pin(async move {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                $crate::Report::report($($m)::+::greet_all(&names).await)
            })))
        });
    };
    ($b:expr, tasks, [$($m:ident)::+], $src:expr) => {
        $b.add("tasks", "fetch_data", $crate::Shape::Future, $src, &[], |_| {
            Ok($crate::Call::Future(Box::pin(async {
                $crate::Report::report($($m)::+::fetch_data().await)
            })))
        });
        $b.add("tasks", "fetch_in_background", $crate::Shape::Future, $src, &[], |_| {
            Ok($crate::Call::Future(Box::pin(async {
                $crate::Report::report($($m)::+::fetch_in_background().await)
            })))
        });
    };
    ($b:expr, pipeline, [$($m:ident)::+], $src:expr) => {
        $b.add("pipeline", "fetch_data", $crate::Shape::Future, $src, &[], |_| {
            Ok($crate::Call::Future(Box::pin(async {
                $crate::Report::report($($m)::+::fetch_data().await)
            })))
        });
        $b.add("pipeline", "process_data", $crate::Shape::Future, $src, &["data"], |a| {
            let data: String = $crate::arg(a, "data")?;
            Ok($crate::Call::Future(Box::pin(async move {
                $crate::Report::report($($m)::+::process_data(data).await)
            })))
        });
        $b.add("pipeline", "pipeline", $crate::Shape::Future, $src, &[], |_| {
            Ok($crate::Call::Future(Box::pin(async {
                $crate::Report::report($($m)::+::pipeline().await)
            })))
        });
    };
    ($b:expr, wait_random, [$($m:ident)::+], $src:expr) => {
        $b.add("wait_random", "wait_random", $crate::Shape::Future, $src, &["max_delay"], |a| {
            let max_delay: u64 = $crate::arg(a, "max_delay")?;
            Ok($crate::Call::Future(Box::pin(async move {
                $crate::Report::report($($m)::+::wait_random(max_delay).await)
            })))
        });
    };
    ($b:expr, wait_n, [$($m:ident)::+], $src:expr) => {
        $b.add("wait_n", "wait_n", $crate::Shape::Future, $src, &["n", "max_delay"], |a| {
            let n: usize = $crate::arg(a, "n")?;
            let max_delay: u64 = $crate::arg(a, "max_delay")?;
            Ok($crate::Call::Future(Box::pin(async move {
                $crate::Report::report($($m)::+::wait_n(n, max_delay).await)
            })))
        });
    };
    ($b:expr, measure_time, [$($m:ident)::+], $src:expr) => {
        $b.add("measure_time", "measure_time", $crate::Shape::Future, $src, &["n", "max_delay"], |a| {
            let n: usize = $crate::arg(a, "n")?;
            let max_delay: u64 = $crate::arg(a, "max_delay")?;
            Ok($crate::Call::Future(Box::pin(async move {
                $crate::Report::report($($m)::+::measure_time(n, max_delay).await)
            })))
        });
    };
    ($b:expr, task_wait_random, [$($m:ident)::+], $src:expr) => {
        $b.add("task_wait_random", "task_wait_random", $crate::Shape::Task, $src, &["max_delay"], |a| {
            let max_delay: u64 = $crate::arg(a, "max_delay")?;
            Ok($crate::Call::Task(Box::new($($m)::+::task_wait_random(max_delay))))
        });
    };
    ($b:expr, task_wait_n, [$($m:ident)::+], $src:expr) => {
        $b.add("task_wait_n", "task_wait_n", $crate::Shape::Future, $src, &["n", "max_delay"], |a| {
            let n: usize = $crate::arg(a, "n")?;
            let max_delay: u64 = $crate::arg(a, "max_delay")?;
            Ok($crate::Call::Future(Box::pin(async move {
                $crate::Report::report($($m)::+::task_wait_n(n, max_delay).await)
            })))
        });
    };
    ($b:expr, async_generator, [$($m:ident)::+], $src:expr) => {
        $b.add("async_generator", "async_generator", $crate::Shape::Stream, $src, &[], |_| {
            use $crate::__futures::StreamExt as _;
            Ok($crate::Call::Stream(Box::pin(
                $($m)::+::async_generator().map($crate::Report::report),
            )))
        });
    };
    ($b:expr, async_comprehension, [$($m:ident)::+], $src:expr) => {
        $b.add("async_comprehension", "async_comprehension", $crate::Shape::Future, $src, &[], |_| {
            Ok($crate::Call::Future(Box::pin(async {
                $crate::Report::report($($m)::+::async_comprehension().await)
            })))
        });
    };
    ($b:expr, measure_runtime, [$($m:ident)::+], $src:expr) => {
        $b.add("measure_runtime", "measure_runtime", $crate::Shape::Future, $src, &[], |_| {
            Ok($crate::Call::Future(Box::pin(async {
                $crate::Report::report($($m)::+::measure_runtime().await)
            })))
        });
    };
    ($b:expr, wait_bounded, [$($m:ident)::+], $src:expr) => {
        $b.add("wait_bounded", "wait_bounded", $crate::Shape::Future, $src, &["delays", "limit"], |a| {
            let delays: Vec<f64> = $crate::arg(a, "delays")?;
            let limit: usize = $crate::arg(a, "limit")?;
            Ok($crate::Call::Future(Box::pin(async move {
                $crate::Report::report($($m)::+::wait_bounded(delays, limit).await)
            })))
        });
    };
    // `checker new` adds each new lesson's arm above this line.
}

/// Binds all the course's lessons from crate `$krate`, whose lesson files are in `$src_dir`
/// (default: the `src/` folder of the package that expands the macro).
#[macro_export]
macro_rules! course_bindings {
    ($krate:ident) => {
        $crate::course_bindings!($krate, concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
    };
    ($krate:ident, $src_dir:expr) => {{
        let mut table = $crate::Bindings::new();
        let dir: &str = $src_dir;
        $crate::bind_lesson!(
            table,
            say_hello,
            [$krate::say_hello],
            &format!("{dir}/01_say_hello.rs")
        );
        $crate::bind_lesson!(table, greet, [$krate::greet], &format!("{dir}/02_greet.rs"));
        $crate::bind_lesson!(table, tasks, [$krate::tasks], &format!("{dir}/03_tasks.rs"));
        $crate::bind_lesson!(
            table,
            pipeline,
            [$krate::pipeline],
            &format!("{dir}/04_pipeline.rs")
        );
        $crate::bind_lesson!(
            table,
            wait_random,
            [$krate::wait_random],
            &format!("{dir}/05_wait_random.rs")
        );
        $crate::bind_lesson!(
            table,
            wait_n,
            [$krate::wait_n],
            &format!("{dir}/06_wait_n.rs")
        );
        $crate::bind_lesson!(
            table,
            measure_time,
            [$krate::measure_time],
            &format!("{dir}/07_measure_time.rs")
        );
        $crate::bind_lesson!(
            table,
            task_wait_random,
            [$krate::task_wait_random],
            &format!("{dir}/08_task_wait_random.rs")
        );
        $crate::bind_lesson!(
            table,
            task_wait_n,
            [$krate::task_wait_n],
            &format!("{dir}/09_task_wait_n.rs")
        );
        $crate::bind_lesson!(
            table,
            async_generator,
            [$krate::async_generator],
            &format!("{dir}/10_async_generator.rs")
        );
        $crate::bind_lesson!(
            table,
            async_comprehension,
            [$krate::async_comprehension],
            &format!("{dir}/11_async_comprehension.rs")
        );
        $crate::bind_lesson!(
            table,
            measure_runtime,
            [$krate::measure_runtime],
            &format!("{dir}/12_measure_runtime.rs")
        );
        $crate::bind_lesson!(
            table,
            wait_bounded,
            [$krate::wait_bounded],
            &format!("{dir}/13_wait_bounded.rs")
        );
        // `checker new` adds each new lesson's line above this line.
        table
    }};
}
