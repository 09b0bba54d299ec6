//! The checker builds and runs this binary, one process per case. There is nothing to edit
//! here: your work is in `src/`.

fn main() {
    asynclings_runner::main(asynclings_runner::course_bindings!(exercises))
}
