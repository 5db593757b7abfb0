//! Placeholder so the include directory exists; replaced by the real examples.
fn main() {}
