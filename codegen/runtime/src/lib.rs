pub mod paginate;
pub mod runtime;
